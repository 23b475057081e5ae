/**
 * Generated scenario files, as bytes. Valid scenarios are mutated (fields set to odd values, keys
 * added and removed, reserved env names), written as block YAML, flow YAML or JSON, given YAML
 * anchors and aliases (to anything, cycles and forward references included), merge keys, alias
 * bombs, deep nesting, odd scalars and tags, random text, control characters and cuts, then
 * encoded as UTF-8 (with a byte order mark or not), UTF-16, Latin-1 or corrupted bytes.
 *
 * Whatever the bytes, the reader (scenarioFromBytes: what `harness validate` does with each file,
 * called in-process) answers with a Scenario or a ScenarioError with exit code 2: no other error,
 * no stack, no warning on stderr, within a bound of time; each line names the file or a field and
 * is cut to a readable length. And no invalid document validates: what the reader accepts is UTF-8
 * text that the published JSON Schema accepts and that keeps the invariants the runs rely on; what
 * a mutation made invalid for sure (a reserved env name, a control character, UTF-16) is refused.
 *
 * CI tries a few hundred documents; HARNESS_PROPERTY_RUNS=20000 tries more.
 */
import { readFileSync } from 'node:fs';
import { Ajv2020 } from 'ajv/dist/2020.js';
import fc from 'fast-check';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { Document, stringify, visit } from 'yaml';
import { HARNESS_SET_ENV } from '../../k6-scripts/lib/env-contract.ts';
import { HARNESS_APP_ENV } from '../core/app-env.ts';
import { decodeScenarioText } from './decode-text.ts';
import { displayPath, ScenarioError } from './errors.ts';
import { MAX_LINE_CHARS, MAX_LINES } from './input-limits.ts';
import { JSON_SCHEMA_PATH } from './json-schema.ts';
import { parseScenarioText, scenarioFromBytes } from './load-scenario.ts';
import { MAX_ARRIVAL_RATE_PER_S, MAX_LOAD_MS, MAX_REPLICAS, MAX_REPLICA_SLOTS, MAX_VUS } from './schema.ts';
import { propertyRuns, propertyTimeout } from './testing/property-runs.ts';
import { TEST_SOURCE } from './testing/valid.ts';
import type { Scenario } from './types.ts';

afterEach(() => vi.restoreAllMocks());

const RUNS = propertyRuns(300);
const SHOWN = displayPath(TEST_SOURCE);
/** Far above what a generated document needs (they are small); a runaway takes much longer. */
const MAX_MS_PER_DOCUMENT = 3000;

// ---------------------------------------------------------------- the documents

function bases(): Record<string, unknown>[] {
  return [
    {
      name: 'generated',
      seed: 3,
      architectures: ['stateless', 'stateful'],
      replicas: 4,
      maxReplicas: 10,
      faultWindow: '5s',
      load: { script: 'k6-scripts/browse.ts', engine: 'builtin', vus: 5, duration: '60s', env: { THINK_TIME: '0.2' } },
      app: { env: { SNAPSHOT_EVERY_EVENTS: 500 }, seedEvents: 0 },
      faults: [
        { at: '10s', action: 'kill', target: 'busiest' },
        { at: '50%', action: 'scale-out', count: 2 },
        { at: '40s', action: 'pause', target: 1, for: '5s' },
      ],
      thresholds: { '*': [{ metric: 'p95_ms', max: 800, scope: 'trial' }] },
    },
    {
      name: 'ramp ☕ 😀',
      description: 'two event-sourced trials',
      architectures: ['event-sourced', { name: 'snap-1k', architecture: 'event-sourced', app: { env: { SNAPSHOT_EVERY_EVENTS: '1000' }, seedEvents: 1000 } }],
      replicas: 2,
      load: { script: 'k6-scripts/browse.ts', stages: [{ duration: '5s', target: 3 }, { duration: '10s', target: 0 }] },
      faults: [
        { at: '3s', action: 'restart', target: 0 },
        { at: '6s', action: 'partition', target: 'datastore' },
        { at: '9s', action: 'heal', target: 'datastore' },
      ],
      thresholds: { 'event-sourced': [{ metric: 'error_rate', max: 0.1, scope: 'fault-windows' }] },
    },
    {
      name: 'open',
      architectures: ['stateful'],
      replicas: 1,
      load: { script: 'k6-scripts/browse.ts', arrivalRate: { rate: 50, timeUnit: '1s', preAllocatedVUs: 5, maxVUs: 20 }, duration: '20s' },
    },
  ];
}

type Path = (string | number)[];
type DataOp =
  | { kind: 'set'; at: number; value: unknown }
  | { kind: 'add'; at: number; key: string; value: unknown }
  | { kind: 'delete'; at: number }
  | { kind: 'reserved'; at: number; name: number; value: string };
type AliasOp = { from: number; to: number };
type TextOp =
  | { kind: 'anchor' | 'alias' | 'merge' | 'deep' | 'scalar' | 'duplicate'; line: number; n: number; choice: number }
  | { kind: 'bomb'; fan: number; depth: number }
  | { kind: 'insert'; at: number; text: string }
  | { kind: 'control'; at: number; char: string }
  | { kind: 'cut'; at: number; length: number };
type Encoding = 'utf8' | 'utf8-bom' | 'utf16le' | 'utf16le-bom' | 'utf16be-bom' | 'latin1' | 'corrupt';

interface Plan {
  base: number;
  data: readonly DataOp[];
  style: 'block' | 'flow' | 'json';
  aliases: AliasOp[];
  text: readonly TextOp[];
  encoding: Encoding;
  corrupt: { at: number; byte: number }[];
}

const oddString = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 30 }),
  fc.string({ unit: 'grapheme', maxLength: 120 }),
  fc.constantFrom('😀'.repeat(100), '😀'.repeat(101), 'a\u0000b', 'a\u0085b', '\u202Eevil', 'x'.repeat(5000), '', ' ', '20s', '33%', '99.99%', '1e3s', '0.5ms', '24h', '24h1ms', '1m30s', 'stateless', 'datastore', '__proto__', 'constructor', 'k6-scripts/browse.ts', 'STATE_STORE', 'memory'),
);
const oddNumber = fc.oneof(
  fc.integer(),
  fc.double(),
  fc.constantFrom(0, -0, 1, 31, 32, 33, MAX_VUS, MAX_VUS + 1, 10_000, 100_000, 2_000_000, 2_000_001, 4_294_967_295, 4_294_967_296, Number.MAX_SAFE_INTEGER, 1e21, 0.5, -1),
);
const oddValue: fc.Arbitrary<unknown> = fc.oneof(
  { arbitrary: fc.jsonValue({ maxDepth: 3 }), weight: 2 },
  { arbitrary: oddString, weight: 3 },
  { arbitrary: oddNumber, weight: 3 },
  { arbitrary: fc.constantFrom(true, false, null, [], {}), weight: 1 },
);

const dataOp: fc.Arbitrary<DataOp> = fc.oneof(
  fc.record({ kind: fc.constant('set' as const), at: fc.nat(), value: oddValue }),
  fc.record({ kind: fc.constant('add' as const), at: fc.nat(), key: fc.oneof(oddString, fc.constantFrom('replica', 'env', 'app', 'vus', '<<', 'for', 'count')), value: oddValue }),
  fc.record({ kind: fc.constant('delete' as const), at: fc.nat() }),
  fc.record({ kind: fc.constant('reserved' as const), at: fc.nat(), name: fc.nat(), value: fc.constantFrom('memory', 'redis', '9000', 'redis://elsewhere:6379', 'x', '') }),
);

const lineOp = fc.record({
  kind: fc.constantFrom('anchor' as const, 'alias' as const, 'merge' as const, 'deep' as const, 'scalar' as const, 'duplicate' as const),
  line: fc.nat(),
  n: fc.integer({ min: 1, max: 1500 }),
  choice: fc.nat(),
});
const textOp: fc.Arbitrary<TextOp> = fc.oneof(
  { arbitrary: lineOp, weight: 6 },
  { arbitrary: fc.record({ kind: fc.constant('bomb' as const), fan: fc.integer({ min: 2, max: 12 }), depth: fc.integer({ min: 1, max: 8 }) }), weight: 1 },
  { arbitrary: fc.record({ kind: fc.constant('insert' as const), at: fc.nat(), text: fc.oneof(fc.string({ unit: 'binary', maxLength: 12 }), fc.constantFrom(': ', '- ', '[', '{', '&a ', '*a', '<<: ', '\n  ', '\t', '"', "'", '#', '%YAML 1.1\n', '---\n', '...\n')) }), weight: 2 },
  {
    arbitrary: fc.record({
      kind: fc.constant('control' as const),
      at: fc.nat(),
      char: fc.oneof(fc.integer({ min: 0, max: 0x1f }).filter((c) => c !== 9 && c !== 10 && c !== 13), fc.integer({ min: 0x7f, max: 0x9f }).filter((c) => c !== 0x85), fc.constantFrom(0xfffe, 0xffff)).map((c) => String.fromCodePoint(c)),
    }),
    weight: 1,
  },
  { arbitrary: fc.record({ kind: fc.constant('cut' as const), at: fc.nat(), length: fc.integer({ min: 1, max: 200 }) }), weight: 1 },
);

const plans: fc.Arbitrary<Plan> = fc.record({
  base: fc.nat({ max: 2 }),
  // Often none at all, so that valid documents (with aliases, in odd encodings) are common too.
  data: fc.oneof({ arbitrary: fc.constant<DataOp[]>([]), weight: 1 }, { arbitrary: fc.array(dataOp, { minLength: 1, maxLength: 2 }), weight: 2 }),
  style: fc.constantFrom('block' as const, 'block' as const, 'flow' as const, 'json' as const),
  aliases: fc.array(fc.record({ from: fc.nat(), to: fc.nat() }), { maxLength: 3 }),
  text: fc.oneof({ arbitrary: fc.constant<TextOp[]>([]), weight: 1 }, { arbitrary: fc.array(textOp, { minLength: 1, maxLength: 3 }), weight: 1 }),
  encoding: fc.oneof(
    { arbitrary: fc.constant('utf8' as const), weight: 12 },
    { arbitrary: fc.constantFrom('utf8-bom' as const, 'utf16le' as const, 'utf16le-bom' as const, 'utf16be-bom' as const, 'latin1' as const, 'corrupt' as const), weight: 3 },
  ),
  corrupt: fc.array(fc.record({ at: fc.nat(), byte: fc.integer({ min: 0, max: 255 }) }), { minLength: 1, maxLength: 4 }),
});

/** What a plan makes: the bytes, and why they are invalid for sure (undefined when that is not known). */
interface Made {
  bytes: Uint8Array;
  text: string;
  invalid: string | undefined;
}

function make(plan: Plan): Made {
  const raw = structuredClone(bases()[plan.base] ?? {});
  let invalid: string | undefined;
  // Only the last mutation's claim holds: a later one may have removed what made it invalid.
  plan.data.forEach((op) => {
    invalid = applyData(raw, op);
  });
  let text = write(raw, plan.style, plan.aliases);
  if (plan.aliases.length > 0 || plan.text.length > 0) invalid = undefined;
  plan.text.forEach((op, i) => {
    const last = i === plan.text.length - 1;
    text = applyText(text, op, plan.style);
    if (op.kind === 'control' && last && ['utf8', 'utf8-bom', 'corrupt'].includes(plan.encoding)) invalid = 'a control character';
  });
  const bytes = encode(text, plan);
  if (plan.encoding.startsWith('utf16')) invalid = 'UTF-16';
  return { bytes, text, invalid };
}

function paths(value: unknown, at: Path = []): Path[] {
  const out: Path[] = [at];
  if (Array.isArray(value)) value.forEach((item: unknown, i) => out.push(...paths(item, [...at, i])));
  else if (value !== null && typeof value === 'object') for (const [key, item] of Object.entries(value)) out.push(...paths(item, [...at, key]));
  return out;
}

function get(root: unknown, path: Path): unknown {
  return path.reduce<unknown>((node, key) => (node !== null && typeof node === 'object' ? (node as Record<string | number, unknown>)[key] : undefined), root);
}

function put(parent: unknown, key: string | number, value: unknown): void {
  if (parent !== null && typeof parent === 'object') Object.defineProperty(parent, key, { value, enumerable: true, writable: true, configurable: true });
}

/** Applies one data mutation; says why the result is invalid when it is so for sure. */
function applyData(raw: Record<string, unknown>, op: DataOp): string | undefined {
  const all = paths(raw).filter((p) => p.length > 0);
  switch (op.kind) {
    case 'set': {
      const path = all[op.at % all.length] ?? ['name'];
      // A copy: fast-check runs a plan again while shrinking, and later mutations must not reach into it.
      put(get(raw, path.slice(0, -1)), path[path.length - 1] ?? 'name', structuredClone(op.value));
      return undefined;
    }
    case 'add': {
      const objects = [[], ...all].filter((p) => {
        const node = get(raw, p);
        return node !== null && typeof node === 'object' && !Array.isArray(node);
      });
      put(get(raw, objects[op.at % objects.length] ?? []), op.key, structuredClone(op.value));
      return undefined;
    }
    case 'delete': {
      const path = all[op.at % all.length] ?? ['name'];
      const parent = get(raw, path.slice(0, -1));
      const key = path[path.length - 1];
      if (Array.isArray(parent) && typeof key === 'number') parent.splice(key, 1);
      else if (parent !== null && typeof parent === 'object' && key !== undefined) delete (parent as Record<string | number, unknown>)[key];
      return undefined;
    }
    case 'reserved': {
      const architectures = Array.isArray(raw['architectures']) ? raw['architectures'] : [];
      const places: { path: Path; names: readonly string[] }[] = [
        { path: ['load'], names: HARNESS_SET_ENV },
        { path: [], names: HARNESS_APP_ENV },
        ...architectures.flatMap((entry: unknown, i) => (entry !== null && typeof entry === 'object' ? [{ path: ['architectures', i], names: HARNESS_APP_ENV }] : [])),
      ];
      const place = places[op.at % places.length] ?? { path: [], names: HARNESS_APP_ENV };
      const owner = get(raw, place.path);
      if (owner === null || typeof owner !== 'object' || Array.isArray(owner)) return undefined;
      const record = owner as Record<string, unknown>;
      // The app's env is under `app`, the load's directly in `load`.
      const holder = place.names === HARNESS_SET_ENV ? record : (record['app'] ??= {});
      if (holder === null || typeof holder !== 'object' || Array.isArray(holder)) return undefined;
      const env = ((holder as Record<string, unknown>)['env'] ??= {});
      if (env === null || typeof env !== 'object' || Array.isArray(env)) return undefined;
      const name = place.names[op.name % place.names.length] ?? 'PORT';
      (env as Record<string, unknown>)[name] = op.value;
      return `${name} in an env`;
    }
  }
}

/** The scenario as text; YAML with some nodes replaced by aliases of others (any others). */
function write(raw: unknown, style: Plan['style'], aliases: readonly AliasOp[]): string {
  if (style === 'json') return JSON.stringify(raw, null, 2);
  const collectionStyle = style === 'flow' ? 'flow' : 'block';
  if (aliases.length === 0) return stringify(raw, { collectionStyle });
  const doc = new Document(raw);
  for (const { from, to } of aliases) {
    const nodes: unknown[] = [];
    visit(doc, { Node: (_key, node) => void nodes.push(node) });
    const source = nodes[from % nodes.length];
    const target = nodes[to % nodes.length];
    if (source === undefined || target === undefined) continue;
    visit(doc, { Node: (_key, node) => (node === target ? doc.createAlias(source as never) : undefined) });
  }
  try {
    return doc.toString({ collectionStyle });
  } catch {
    // An alias before its anchor: the library will not write it; the text ops write some.
    return stringify(raw, { collectionStyle });
  }
}

const SCALARS = ['.nan', '.inf', '-.inf', '1e400', '0x10', '0o7', '~', 'null', 'yes', 'on', '!!str 5', '!!int "5"', '!foo x', '!!binary aGk=', '"\\u0000"', '"\\ud800"', "'", '|', '>-', '? x', '*', '&', '[', '{', '"' + 'x'.repeat(3000) + '"'];
const MERGES = ['*a0', '5', '[*a0, 3]', '{x: 1}', '[]', '~', '&a1 {x: 1}', '*a9', ''];

function applyText(text: string, op: TextOp, style: Plan['style']): string {
  switch (op.kind) {
    case 'insert':
      return splice(text, op.at % (text.length + 1), 0, op.text);
    case 'control':
      return splice(text, op.at % (text.length + 1), 0, op.char);
    case 'cut':
      return splice(text, op.at % (text.length + 1), op.length, '');
    case 'bomb': {
      if (style !== 'block') return text;
      let bomb = `bomb0: &b0 [${Array.from({ length: op.fan }, () => 'x').join(', ')}]\n`;
      for (let level = 1; level <= op.depth; level++) bomb += `bomb${level}: &b${level} [${Array.from({ length: op.fan }, () => `*b${level - 1}`).join(', ')}]\n`;
      return `${text}${text.endsWith('\n') ? '' : '\n'}${bomb}`;
    }
    default:
      return style === 'block' ? applyToLine(text, op) : text;
  }
}

function applyToLine(text: string, op: Extract<TextOp, { line: number }>): string {
  const lines = text.split('\n');
  const index = op.line % lines.length;
  const line = lines[index] ?? '';
  // `key: value`, `- value`, `- key: value`: where the value starts (the end of the line when none).
  const match = /^(\s*(?:- )*(?:[^\s:#][^:#]*?:(?: |$))?)(.*)$/.exec(line);
  const head = match?.[1] ?? '';
  const value = match?.[2] ?? '';
  const indent = /^\s*/.exec(line)?.[0] ?? '';
  const anchor = `a${op.choice % 4}`;
  switch (op.kind) {
    case 'anchor':
      lines[index] = `${head}&${anchor} ${value}`;
      break;
    case 'alias':
      lines[index] = `${head}*${anchor}`;
      break;
    case 'merge':
      lines.splice(index + 1, 0, `${indent}<<: ${MERGES[op.choice % MERGES.length] ?? ''}`);
      break;
    case 'deep':
      lines[index] = op.choice % 2 === 0 ? `${head}${'['.repeat(op.n)}${']'.repeat(op.n)}` : `${head}${'{a: '.repeat(op.n)}1${'}'.repeat(op.n)}`;
      break;
    case 'scalar':
      lines[index] = `${head}${SCALARS[op.choice % SCALARS.length] ?? ''}`;
      break;
    case 'duplicate':
      lines.splice(index, 0, line);
      break;
  }
  return lines.join('\n');
}

function splice(text: string, at: number, remove: number, insert: string): string {
  return text.slice(0, at) + insert + text.slice(at + remove);
}

function encode(text: string, plan: Plan): Uint8Array {
  const utf16le = (withBom: boolean): Buffer => Buffer.concat([withBom ? Buffer.from([0xff, 0xfe]) : Buffer.alloc(0), Buffer.from(text, 'utf16le')]);
  switch (plan.encoding) {
    case 'utf8':
      return Buffer.from(text, 'utf8');
    case 'utf8-bom':
      return Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(text, 'utf8')]);
    case 'utf16le':
      return utf16le(false);
    case 'utf16le-bom':
      return utf16le(true);
    case 'utf16be-bom':
      return utf16le(true).swap16();
    case 'latin1':
      return Buffer.from(text, 'latin1');
    case 'corrupt': {
      const bytes = [...Buffer.from(text, 'utf8')];
      for (const { at, byte } of plan.corrupt) bytes.splice(at % (bytes.length + 1), 0, byte);
      return Buffer.from(bytes);
    }
  }
}

// ---------------------------------------------------------------- the checks

const ajv = new Ajv2020({ allErrors: true, strict: false });
const schemaAccepts = ajv.compile(JSON.parse(readFileSync(JSON_SCHEMA_PATH, 'utf8')) as object);

const escaped = (text: string): string => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
const SEGMENT = String.raw`(?:[A-Za-z_$][\w$]*|\[(?:\d+|"(?:[^"\\]|\\.)*")\])`;
/** A field, as problems.ts formats paths: `load.env.X`, `faults[2].at`, `thresholds["*"][0]`, or `scenario`. */
const NAMES_A_FIELD = new RegExp(String.raw`^(?:scenario|${SEGMENT}(?:\.[A-Za-z_$][\w$]*|\[(?:\d+|"(?:[^"\\]|\\.)*")\])*): .+ is not allowed; expected .+$`);
/** The file, with a line and column when there is one. */
const NAMES_THE_FILE = new RegExp(`^${escaped(SHOWN)}(?::\\d+:\\d+)?: (?:syntax error: .+|.+ is not allowed; expected .+)$`);

type Outcome = { scenario: Scenario } | { error: ScenarioError };

function read(bytes: Uint8Array): Outcome {
  try {
    return { scenario: scenarioFromBytes(bytes, TEST_SOURCE) };
  } catch (error) {
    // Anything but a ScenarioError would reach the CLI as a crash ("report it"): the property fails.
    if (!(error instanceof ScenarioError)) throw new Error(`not a ScenarioError: ${error instanceof Error ? error.stack : String(error)}`);
    return { error };
  }
}

function checkRefusal(error: ScenarioError): void {
  expect(error.exitCode).toBe(2);
  expect(error.code).toBe('E_SCENARIO');
  expect(error.problems.length).toBeGreaterThan(0);
  expect(error.problems.length).toBeLessThanOrEqual(MAX_LINES);
  expect(error.message).not.toMatch(/\n\s+at |Maximum call stack|report it|ZodError/);
  for (const line of error.problems) {
    expect(line.length).toBeLessThanOrEqual(MAX_LINE_CHARS);
    // A line cut short may have lost its "expected" part; its start still names what it is about.
    const whole = line.endsWith('…') ? `${line} is not allowed; expected …` : line;
    expect(NAMES_THE_FILE.test(whole) || NAMES_A_FIELD.test(whole), line).toBe(true);
  }
}

/** What the runs rely on, for an accepted document. */
function checkAcceptance(scenario: Scenario, bytes: Uint8Array): void {
  // Valid UTF-8 without control characters, by another decoder than the reader's.
  const text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  expect(text).not.toMatch(/[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F]/);
  // The published JSON Schema agrees (it knows fewer rules, so it accepts at least as much).
  const data = parseScenarioText(decodeScenarioText(bytes, SHOWN), SHOWN);
  expect(schemaAccepts(data), JSON.stringify(schemaAccepts.errors)).toBe(true);
  for (const trial of scenario.trials) for (const name of HARNESS_APP_ENV) expect(trial.appEnv).not.toHaveProperty(name);
  for (const name of HARNESS_SET_ENV) expect(scenario.load.env).not.toHaveProperty(name);
  expect([...scenario.name].length).toBeLessThanOrEqual(100);
  expect(scenario.replicas).toBeLessThanOrEqual(MAX_REPLICAS);
  expect(scenario.maxReplicas).toBeLessThanOrEqual(MAX_REPLICA_SLOTS);
  expect(scenario.maxReplicas).toBeGreaterThanOrEqual(scenario.replicas);
  expect(scenario.load.durationMs).toBeGreaterThan(0);
  expect(scenario.load.durationMs).toBeLessThanOrEqual(MAX_LOAD_MS);
  const shape = scenario.load.shape;
  if (shape.executor === 'constant-vus') expect(shape.vus).toBeLessThanOrEqual(MAX_VUS);
  if (shape.executor === 'ramping-vus') for (const stage of shape.stages) expect(stage.target).toBeLessThanOrEqual(MAX_VUS);
  if (shape.executor === 'constant-arrival-rate') expect((shape.rate * 1000) / shape.timeUnitMs).toBeLessThanOrEqual(MAX_ARRIVAL_RATE_PER_S);
  for (const fault of scenario.faults) expect(fault.atMs).toBeLessThan(scenario.load.durationMs);
}

describe('generated scenario files', () => {
  it('start from valid scenarios, in every style', () => {
    for (const [base] of bases().entries()) {
      for (const style of ['block', 'flow', 'json'] as const) {
        const outcome = read(make({ base, data: [], style, aliases: [], text: [], encoding: 'utf8', corrupt: [] }).bytes);
        expect('scenario' in outcome ? 'ok' : outcome.error.message).toBe('ok');
      }
    }
  });

  it(
    `end in a Scenario or a ScenarioError (exit 2) naming the file or a field, quickly, without a stack or a warning; no invalid one validates (${RUNS} documents)`,
    () => {
      const warnings = vi.spyOn(process, 'emitWarning').mockImplementation(() => undefined);
      const tally = { accepted: 0, refused: 0, slowestMs: 0 };
      fc.assert(
        fc.property(plans, (plan) => {
          const { bytes, invalid } = make(plan);
          const started = performance.now();
          const outcome = read(bytes);
          const elapsed = performance.now() - started;
          tally.slowestMs = Math.max(tally.slowestMs, elapsed);
          expect(elapsed).toBeLessThan(MAX_MS_PER_DOCUMENT);
          if ('error' in outcome) {
            tally.refused++;
            checkRefusal(outcome.error);
          } else {
            tally.accepted++;
            expect(invalid, 'accepted although invalid').toBeUndefined();
            checkAcceptance(outcome.scenario, bytes);
          }
          expect(warnings).not.toHaveBeenCalled();
        }),
        { numRuns: RUNS },
      );
      // Both outcomes are exercised, or the generators have gone blind.
      // (About a sixth are accepted; the bounds are far enough below to never fail by chance.)
      expect(tally.accepted).toBeGreaterThan(RUNS / 50);
      expect(tally.refused).toBeGreaterThan(RUNS / 3);
      if (process.env['HARNESS_PROPERTY_RUNS'] !== undefined) {
        process.stdout.write(`generated scenario files: ${tally.accepted} accepted, ${tally.refused} refused, the slowest in ${Math.round(tally.slowestMs)} ms\n`);
      }
    },
    propertyTimeout(RUNS, 50),
  );
});
