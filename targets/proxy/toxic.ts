/**
 * A toxic as the API shows it (`name`, `type`, `stream`, `toxicity`, `attributes`), and how a
 * request body becomes one: Toxiproxy's defaults (stream downstream, toxicity 1, name
 * `<type>_<stream>`, attributes 0) and its checks in its order.
 */
import { badRequestBody, invalidStream, invalidToxicType, toxicAlreadyExists } from './api-error.ts';
import { optionalNumber, optionalString, requireJsonObject, type JsonObject, describeJson } from './json-input.ts';
import { TOXIC_KINDS } from './toxics/kinds.ts';
import type { ToxicKind } from './toxics/stage.ts';

export type Stream = 'upstream' | 'downstream';
/** The order Toxiproxy lists toxics in: the upstream chain, then the downstream one. */
export const STREAMS: readonly Stream[] = ['upstream', 'downstream'];

/** Attribute values are integers from 0 to this: every time (ms) then fits a Node timer. */
export const MAX_ATTRIBUTE = 2_147_483_647;

export interface Toxic {
  readonly name: string;
  readonly type: string;
  readonly stream: Stream;
  /** Probability, per connection, that the toxic acts on it. */
  readonly toxicity: number;
  readonly attributes: Readonly<Record<string, number>>;
  readonly kind: ToxicKind;
}

export interface ToxicJson {
  attributes: Record<string, number>;
  name: string;
  type: string;
  stream: Stream;
  toxicity: number;
}

export function toxicJson(toxic: Toxic): ToxicJson {
  return { attributes: { ...toxic.attributes }, name: toxic.name, type: toxic.type, stream: toxic.stream, toxicity: toxic.toxicity };
}

/** A new toxic from a `POST /proxies/{proxy}/toxics` body; `exists` says whether a name is taken. */
export function parseNewToxic(body: unknown, exists: (name: string) => boolean): Toxic {
  const input = requireJsonObject(body, 'a toxic');
  const streamText = optionalString(input, 'stream') ?? 'downstream';
  const stream = STREAMS.find((s) => s === streamText.toLowerCase());
  if (stream === undefined) throw invalidStream();
  const type = optionalString(input, 'type') ?? '';
  const name = nonEmpty(optionalString(input, 'name')) ?? `${type}_${stream}`;
  const kind = TOXIC_KINDS.get(type);
  if (kind === undefined) throw invalidToxicType();
  if (exists(name)) throw toxicAlreadyExists();
  const toxicity = optionalNumber(input, 'toxicity', 0, 1) ?? 1;
  const attributes = readAttributes(kind, attributesOf(input), zeroes(kind));
  return { name, type, stream, toxicity, attributes, kind };
}

/** An update (`POST`/`PATCH /proxies/{proxy}/toxics/{toxic}`): new attributes over the old, maybe a new toxicity. */
export function parseToxicUpdate(existing: Toxic, body: unknown): Toxic {
  const input = requireJsonObject(body, 'a toxic');
  const toxicity = optionalNumber(input, 'toxicity', 0, 1) ?? existing.toxicity;
  const attributes = readAttributes(existing.kind, attributesOf(input), existing.attributes);
  return { ...existing, toxicity, attributes };
}

function attributesOf(input: JsonObject): JsonObject {
  const value = input.attributes;
  if (value === undefined || value === null) return {};
  if (typeof value !== 'object' || Array.isArray(value)) throw badRequestBody(`attributes: expected an object, got ${describeJson(value)}`);
  return value as JsonObject;
}

function readAttributes(kind: ToxicKind, given: JsonObject, base: Readonly<Record<string, number>>): Record<string, number> {
  const attributes: Record<string, number> = {};
  for (const name of kind.attributeNames) {
    const value = given[name];
    if (value === undefined || value === null) {
      attributes[name] = base[name] ?? 0;
      continue;
    }
    if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 0 || value > MAX_ATTRIBUTE) {
      throw badRequestBody(`attributes.${name}: expected an integer from 0 to ${MAX_ATTRIBUTE}, got ${describeJson(value)}`);
    }
    attributes[name] = value;
  }
  const problem = kind.check?.(attributes);
  if (problem !== undefined) throw badRequestBody(`attributes.${problem}`);
  return attributes;
}

function zeroes(kind: ToxicKind): Record<string, number> {
  return Object.fromEntries(kind.attributeNames.map((name) => [name, 0]));
}

function nonEmpty(value: string | undefined): string | undefined {
  return value === undefined || value === '' ? undefined : value;
}
