/**
 * Generated bad scenarios, as data: a valid scenario with one mutation (a wrong type, a number out
 * of range, an unknown key, a bad enum value, a bad duration, a variable the harness sets in one of
 * the envs). Whatever the mutation, the answer is one ScenarioError (exit code 2) whose every line
 * has the `path: value is not allowed; expected …` shape, one of which names the mutated path, and
 * no stack trace. bad-files.property.test.ts does the same from bytes (YAML, encodings).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { FAULT_ACTIONS } from '../core/fault-actions.ts';
import { DURATION_PATTERN, OFFSET_PATTERN } from './duration.ts';
import { formatPath } from './problems.ts';
import { HARNESS_SET_ENV } from '../../k6-scripts/lib/env-contract.ts';
import { HARNESS_APP_ENV } from '../core/app-env.ts';
import { ENGINES, MAX_REPLICA_SLOTS, MAX_REPLICAS, MAX_VUS, SCENARIO_ARCHITECTURES, TARGET_SELECTORS, THRESHOLD_METRICS, THRESHOLD_SCOPES } from './schema.ts';
import { propertyRuns, propertyTimeout } from './testing/property-runs.ts';
import { scenarioErrorOf, TEST_SOURCE } from './testing/valid.ts';
import { validateScenario } from './validate.ts';

type Path = (string | number)[];
type Kind =
  | { type: 'int'; min: number; max: number }
  | { type: 'number'; min: number }
  | { type: 'string' }
  | { type: 'enum'; values: readonly string[] }
  | { type: 'duration' }
  | { type: 'offset' }
  | { type: 'target' };

function base(): Record<string, unknown> {
  return {
    name: 'generated',
    seed: 3,
    architectures: ['stateless', 'stateful', { name: 'es', architecture: 'event-sourced', app: { env: { LOG_REQUESTS: '0' } } }],
    replicas: 4,
    maxReplicas: 10,
    faultWindow: '5s',
    load: { script: 'k6-scripts/browse.ts', engine: 'builtin', vus: 5, duration: '60s', env: { THINK_TIME: '0.2' } },
    app: { env: { SNAPSHOT_EVERY_EVENTS: '500' } },
    faults: [
      { at: '10s', action: 'kill', target: 'busiest' },
      { at: '50%', action: 'scale-out', count: 2 },
      { at: '40s', action: 'pause', target: 1, for: '5s' },
    ],
    thresholds: { '*': [{ metric: 'p95_ms', max: 800, scope: 'trial' }] },
  };
}

const LEAVES: { path: Path; kind: Kind }[] = [
  { path: ['name'], kind: { type: 'string' } },
  { path: ['seed'], kind: { type: 'int', min: 0, max: 4_294_967_295 } },
  { path: ['replicas'], kind: { type: 'int', min: 1, max: MAX_REPLICAS } },
  { path: ['maxReplicas'], kind: { type: 'int', min: 1, max: MAX_REPLICA_SLOTS } },
  { path: ['faultWindow'], kind: { type: 'duration' } },
  { path: ['architectures', 0], kind: { type: 'enum', values: SCENARIO_ARCHITECTURES } },
  { path: ['load', 'script'], kind: { type: 'string' } },
  { path: ['load', 'engine'], kind: { type: 'enum', values: ENGINES } },
  { path: ['load', 'vus'], kind: { type: 'int', min: 1, max: MAX_VUS } },
  { path: ['load', 'duration'], kind: { type: 'duration' } },
  { path: ['faults', 0, 'at'], kind: { type: 'offset' } },
  { path: ['faults', 0, 'action'], kind: { type: 'enum', values: FAULT_ACTIONS } },
  { path: ['faults', 0, 'target'], kind: { type: 'target' } },
  { path: ['faults', 1, 'count'], kind: { type: 'int', min: 1, max: MAX_REPLICA_SLOTS - 1 } },
  { path: ['faults', 2, 'for'], kind: { type: 'duration' } },
  { path: ['thresholds', '*', 0, 'metric'], kind: { type: 'enum', values: THRESHOLD_METRICS } },
  { path: ['thresholds', '*', 0, 'max'], kind: { type: 'number', min: 0 } },
  { path: ['thresholds', '*', 0, 'scope'], kind: { type: 'enum', values: THRESHOLD_SCOPES } },
];

const OBJECTS: { path: Path; known: readonly string[] }[] = [
  { path: [], known: ['$schema', 'name', 'description', 'seed', 'architectures', 'replicas', 'maxReplicas', 'faultWindow', 'load', 'app', 'faults', 'thresholds'] },
  { path: ['load'], known: ['script', 'engine', 'vus', 'duration', 'stages', 'arrivalRate', 'env'] },
  { path: ['faults', 1], known: ['at', 'action', 'target', 'count', 'for'] },
  { path: ['thresholds'], known: ['*', 'stateful', 'stateless', 'event-sourced'] },
  { path: ['thresholds', '*', 0], known: ['metric', 'max', 'scope'] },
];

const notAString = fc.oneof(fc.integer(), fc.boolean(), fc.constant(null), fc.array(fc.integer(), { maxLength: 2 }), fc.dictionary(fc.string(), fc.integer(), { maxKeys: 2 }));
const notANumber = fc.oneof(fc.string(), fc.boolean(), fc.constant(null), fc.array(fc.string(), { maxLength: 2 }), fc.dictionary(fc.string(), fc.string(), { maxKeys: 2 }));
const notAnInteger = fc.oneof(notANumber, fc.double({ noNaN: true, noDefaultInfinity: true }).filter((n) => !Number.isInteger(n)));

/** A value of a type the leaf does not accept. */
function wrongType(kind: Kind): fc.Arbitrary<unknown> {
  switch (kind.type) {
    case 'int':
      return notAnInteger;
    case 'number':
      return notANumber;
    case 'target':
      return fc.oneof(fc.boolean(), fc.constant(null), fc.array(fc.integer(), { maxLength: 2 }), fc.double({ noNaN: true, noDefaultInfinity: true }).filter((n) => !Number.isInteger(n)));
    default:
      return notAString;
  }
}

/** A value of the right type that the leaf still refuses. */
function badValue(kind: Kind): fc.Arbitrary<unknown> | undefined {
  switch (kind.type) {
    case 'int':
      return fc.oneof(fc.maxSafeInteger().filter((n) => n < kind.min), fc.maxSafeInteger().filter((n) => n > kind.max));
    case 'number':
      // fast-check counts -0 as below 0, but -0 < 0 is false: the schema rightly accepts it.
      return fc.double({ max: kind.min, maxExcluded: true, noNaN: true, noDefaultInfinity: true }).filter((n) => n < kind.min);
    case 'enum':
      return fc.string().filter((s) => !kind.values.includes(s));
    case 'target':
      return fc.oneof(fc.string().filter((s) => !(TARGET_SELECTORS as readonly string[]).includes(s)), fc.integer({ max: -1 }));
    case 'duration':
      return fc.string().filter((s) => !DURATION_PATTERN.test(s));
    case 'offset':
      return fc.string().filter((s) => !OFFSET_PATTERN.test(s));
    case 'string':
      return undefined;
  }
}

interface Mutation {
  describe: string;
  raw: Record<string, unknown>;
  /** A path some line must start with. */
  path: Path;
}

function setAt(root: Record<string, unknown>, path: Path, value: unknown): void {
  let node: Record<string | number, unknown> = root;
  for (const segment of path.slice(0, -1)) node = node[segment] as Record<string | number, unknown>;
  const last = path[path.length - 1];
  if (last !== undefined) Object.defineProperty(node, last, { value, enumerable: true, writable: true, configurable: true });
}

const leaf = fc.constantFrom(...LEAVES);

const mutations: fc.Arbitrary<Mutation> = fc.oneof(
  leaf.chain(({ path, kind }) => wrongType(kind).map((value) => mutate('wrong type', path, value))),
  fc
    .constantFrom(...LEAVES.filter((l) => badValue(l.kind) !== undefined))
    .chain(({ path, kind }) => (badValue(kind) ?? fc.constant(undefined)).map((value) => mutate('bad value', path, value))),
  fc.constantFrom(...OBJECTS).chain(({ path, known }) =>
    fc
      .tuple(fc.string({ minLength: 1, maxLength: 12 }).filter((key) => !known.includes(key) && key !== '__proto__'), fc.jsonValue())
      .map(([key, value]) => mutate('unknown key', [...path, key], value)),
  ),
  // A variable the harness sets itself, in any env: the load's, the app's, a variant's.
  fc
    .constantFrom(
      ...HARNESS_SET_ENV.map((name) => ['load', 'env', name]),
      ...HARNESS_APP_ENV.flatMap((name) => [
        ['app', 'env', name],
        ['architectures', 2, 'app', 'env', name],
      ]),
    )
    .chain((path) => fc.oneof(fc.string(), fc.integer(), fc.boolean()).map((value) => mutate('reserved env', path, value))),
);

function mutate(describe: string, path: Path, value: unknown): Mutation {
  const raw = base();
  setAt(raw, path, value);
  return { describe, raw, path };
}

const LINE_SHAPE = /^\S[^\n]*?: [^\n]+ is not allowed; expected [^\n]+$/;

describe('generated bad scenarios', () => {
  it('starts from a valid scenario', () => {
    expect(() => validateScenario(base(), TEST_SOURCE)).not.toThrow();
  });

  const runs = propertyRuns(400);
  it(`always give one E_SCENARIO error, exit code 2, one well-formed line per problem, naming the mutated path, no stack (${runs} scenarios)`, () => {
    fc.assert(
      fc.property(mutations, ({ raw, path }) => {
        const caught = scenarioErrorOf(raw);
        const lines = caught.message.split('\n');
        expect(lines.length).toBeGreaterThan(0);
        for (const line of lines) {
          expect(line).toMatch(LINE_SHAPE);
          expect(line).not.toMatch(/^\s+at /);
        }
        expect(caught.message).not.toMatch(/\n\s*at \S+ \(|\.ts:\d+:\d+\)|ZodError|Error:/);
        // At the mutated path, or inside it (a mapping where a variant may stand is checked field by field).
        const at = formatPath(path);
        expect(lines.some((line) => line.startsWith(`${at}:`) || line.startsWith(`${at}.`) || line.startsWith(`${at}[`))).toBe(true);
      }),
      { numRuns: runs },
    );
  }, propertyTimeout(runs, 10));
});
