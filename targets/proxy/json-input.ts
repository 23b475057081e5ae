/**
 * Reading fields of a request body the way Toxiproxy's JSON decoding does: a missing field or null
 * leaves the default, a field of the wrong type is a 400 naming the field, unknown fields are
 * ignored.
 */
import { badRequestBody } from './api-error.ts';

export type JsonObject = Readonly<Record<string, unknown>>;

export function requireJsonObject(body: unknown, what: string): JsonObject {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) throw badRequestBody(`expected ${what} as a JSON object, got ${describeJson(body)}`);
  return body as JsonObject;
}

export function optionalString(body: JsonObject, field: string): string | undefined {
  const value = body[field];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string') throw badRequestBody(`${field}: expected a string, got ${describeJson(value)}`);
  return value;
}

export function optionalBoolean(body: JsonObject, field: string): boolean | undefined {
  const value = body[field];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'boolean') throw badRequestBody(`${field}: expected true or false, got ${describeJson(value)}`);
  return value;
}

export function optionalNumber(body: JsonObject, field: string, min: number, max: number): number | undefined {
  const value = body[field];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'number' || !Number.isFinite(value) || value < min || value > max) {
    throw badRequestBody(`${field}: expected a number from ${min} to ${max}, got ${describeJson(value)}`);
  }
  return value;
}

export function describeJson(value: unknown): string {
  if (value === undefined) return 'nothing';
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 40 ? `${text.slice(0, 40)}…` : text;
}
