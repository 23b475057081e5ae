/**
 * Hand-written bad scenarios, each with the exact lines a user reads: path, the value, what is
 * allowed, one line per problem, every problem at once.
 */
import { describe, expect, it } from 'vitest';
import { validateScenario } from './validate.ts';
import { problemsOf, scenarioErrorOf, TEST_SOURCE, validRaw, withLoad, withTop } from './testing/valid.ts';

const fault = (...faults: Record<string, unknown>[]): Record<string, unknown> => withTop({ faults });
const ARCH = 'one of "stateful", "stateless", "event-sourced", or a {name, architecture, app, lb} variant';
const ONE_SHAPE = 'exactly one of vus (with duration), stages, or arrivalRate (with duration)';
const APP_RESERVED = 'a variable the harness does not set itself (it sets REPLICA_NAME, PORT, STATE_STORE, REDIS_URL on every replica)';

const cases: [string, unknown, string[]][] = [
  // top level
  ['a list instead of a mapping', [1, 2], ['scenario: [1,2] is not allowed; expected a mapping (key: value)']],
  ['an empty file', null, ['scenario: null is not allowed; expected a mapping (key: value)']],
  [
    'a fault that misses its target',
    fault({ at: '20s', action: 'kill' }),
    ['faults[0].target: nothing is not allowed; expected a replica index, "random", "busiest", "newest" or "datastore" (required for kill)'],
  ],
  [
    'a missing name',
    { ...validRaw(), name: undefined },
    ['name: nothing is not allowed; expected a name of 1 to 100 printable characters on one line (required)'],
  ],
  ['replicas as a string', withTop({ replicas: '3' }), ['replicas: "3" is not allowed; expected an integer from 1 to 16']],
  ['replicas out of range', withTop({ replicas: 17 }), ['replicas: 17 is not allowed; expected an integer from 1 to 16']],
  ['replicas not whole', withTop({ replicas: 2.5 }), ['replicas: 2.5 is not allowed; expected an integer from 1 to 16']],
  [
    'a typo in a top-level key',
    withTop({ replica: 3 }),
    [
      'replica: unknown key is not allowed; expected one of name, description, seed, architectures, replicas, maxReplicas, faultWindow, load, app, lb, faults, thresholds — did you mean "replicas"?',
    ],
  ],
  ['a negative seed', withTop({ seed: -1 }), ['seed: -1 is not allowed; expected an integer from 0 to 4294967295']],
  ['no architectures', withTop({ architectures: [] }), ['architectures: [] is not allowed; expected at least one of "stateful", "stateless", "event-sourced"']],
  ['an unknown architecture', withTop({ architectures: ['stateful', 'statless'] }), [`architectures[1]: "statless" is not allowed; expected ${ARCH}`]],
  [
    'an architecture twice',
    withTop({ architectures: ['stateless', 'stateful', 'stateless'] }),
    ['architectures[2]: "stateless" is not allowed; expected each trial name once (it is already architectures[0]; a variant needs a name of its own)'],
  ],
  [
    'a variant named like another trial',
    withTop({ architectures: ['stateful', { name: 'stateful', architecture: 'stateless' }] }),
    ['architectures[1]: "stateful" is not allowed; expected each trial name once (it is already architectures[0]; a variant needs a name of its own)'],
  ],
  [
    'a variant with a bad name and a typo in its app',
    withTop({ architectures: [{ name: 'Snap 1k', architecture: 'event-sourced', app: { evn: {} } }] }),
    [
      'architectures[0].name: "Snap 1k" is not allowed; expected a name of 1 to 40 lower-case letters, digits and dashes, starting with a letter',
      'architectures[0].app.evn: unknown key is not allowed; expected one of env, seedEvents — did you mean "env"?',
    ],
  ],
  [
    'a variant with a typo in its architecture: the field is named, not the whole entry',
    withTop({ architectures: [{ name: 'es', architecture: 'eventsourced', app: { seedEvent: 5 } }] }),
    [
      'architectures[0].architecture: "eventsourced" is not allowed; expected one of "stateful", "stateless", "event-sourced"',
      'architectures[0].app.seedEvent: unknown key is not allowed; expected one of env, seedEvents — did you mean "seedEvents"?',
    ],
  ],
  ['seed events out of range', withTop({ app: { seedEvents: 5_000_000 } }), ['app.seedEvents: 5000000 is not allowed; expected an integer from 0 to 2000000']],
  ['maxReplicas below replicas', withTop({ maxReplicas: 2 }), ['maxReplicas: 2 is not allowed; expected at least replicas (3)']],
  [
    'a fault window without a unit',
    withTop({ faultWindow: 10 }),
    ['faultWindow: 10 is not allowed; expected a duration such as "20s", "1m30s" or "1500ms", from 1s to 10m'],
  ],
  // load
  ['two load shapes', withLoad({ stages: [{ duration: '10s', target: 5 }] }), [`load.stages: [{"duration":"10s","target":5}] is not allowed; expected ${ONE_SHAPE}; vus is set too`]],
  ['no load shape', withLoad({ vus: undefined }), [`load.vus: nothing is not allowed; expected ${ONE_SHAPE}`]],
  ['vus without a duration', withLoad({ duration: undefined }), ['load.duration: nothing is not allowed; expected a duration such as "60s" (required with vus)']],
  [
    'stages with a duration',
    withLoad({ vus: undefined, stages: [{ duration: '10s', target: 5 }] }),
    ['load.duration: "60s" is not allowed; expected no duration with stages (the load lasts as long as its stages)'],
  ],
  ['stages that last 0s', withLoad({ vus: undefined, duration: undefined, stages: [{ duration: '0s', target: 5 }] }), ['load.stages: [{"duration":"0s","target":5}] is not allowed; expected stages lasting longer than 0ms in total']],
  ['a duration without a unit', withLoad({ duration: '60' }), ['load.duration: "60" is not allowed; expected a duration such as "20s", "1m30s" or "1500ms", from 1s to 24h']],
  ['an unknown engine', withLoad({ engine: 'k7' }), ['load.engine: "k7" is not allowed; expected one of "auto", "k6", "builtin"']],
  [
    'arrival-rate maxVUs below preAllocatedVUs',
    withLoad({ vus: undefined, arrivalRate: { rate: 10, preAllocatedVUs: 20, maxVUs: 5 } }),
    ['load.arrivalRate.maxVUs: 5 is not allowed; expected at least preAllocatedVUs (20)'],
  ],
  [
    'a typo in arrivalRate',
    withLoad({ vus: undefined, arrivalRate: { rate: 10, timeunit: '1s' } }),
    ['load.arrivalRate.timeunit: unknown key is not allowed; expected one of rate, timeUnit, preAllocatedVUs, maxVUs — did you mean "timeUnit"?'],
  ],
  [
    'env that the harness sets',
    withLoad({ env: { BASE_URL: 'http://example.com' } }),
    ['load.env.BASE_URL: "http://example.com" is not allowed; expected a variable the harness does not set itself (it sets BASE_URL, VUS, DURATION, STAGES, RATE, TIME_UNIT, PRE_ALLOCATED_VUS, MAX_VUS from the scenario)'],
  ],
  [
    'app env that the harness sets, on an architecture by name (a "stateless" trial with in-memory sessions)',
    withTop({ architectures: ['stateless'], app: { env: { STATE_STORE: 'memory' } } }),
    [`app.env.STATE_STORE: "memory" is not allowed; expected ${APP_RESERVED}`],
  ],
  [
    'app env that the harness sets, in a variant',
    withTop({ architectures: ['stateful', { name: 'es', architecture: 'event-sourced', app: { env: { PORT: 9000, REDIS_URL: 'redis://elsewhere:6379', REPLICA_NAME: 'x' } } }] }),
    [
      `architectures[1].app.env.PORT: "9000" is not allowed; expected ${APP_RESERVED}`,
      `architectures[1].app.env.REDIS_URL: "redis://elsewhere:6379" is not allowed; expected ${APP_RESERVED}`,
      `architectures[1].app.env.REPLICA_NAME: "x" is not allowed; expected ${APP_RESERVED}`,
    ],
  ],
  ['app env that the app reads and the harness leaves alone', withTop({ app: { env: { SNAPSHOT_EVERY_EVENTS: 500, LOG_REQUESTS: false } } }), []],
  [
    'more env variables than a run needs',
    withLoad({ env: Object.fromEntries(Array.from({ length: 101 }, (_, i) => [`V${i}`, '1'])) }),
    ['load.env: {"V0":"1","V1":"1","V2":"1","V3":"1","V4":"1","V5":"1","V6"… is not allowed; expected at most 100 variables'],
  ],
  [
    'an env value of 5,000 characters',
    withTop({ app: { env: { BIG: 'x'.repeat(5000) } } }),
    [`app.env.BIG: "${'x'.repeat(58)}… is not allowed; expected a string, a number or true/false of at most 4096 characters`],
  ],
  [
    'an env name of 200 characters',
    withLoad({ env: { ['N'.repeat(200)]: '1' } }),
    [`load.env["${'N'.repeat(59)}…"]: key "${'N'.repeat(58)}… is not allowed; expected a variable name of letters, digits and _, not starting with a digit, at most 128 characters`],
  ],
  ['more VUs than this machine holds', withLoad({ vus: 5001 }), ['load.vus: 5001 is not allowed; expected an integer from 1 to 5000']],
  [
    'stages longer than a day in total',
    withLoad({ vus: undefined, duration: undefined, stages: [{ duration: '24h', target: 5 }, { duration: '1s', target: 0 }] }),
    ['load.stages: [{"duration":"24h","target":5},{"duration":"1s","target":0}] is not allowed; expected stages lasting at most 24h in total'],
  ],
  [
    'an arrival rate of 100 per millisecond',
    withLoad({ vus: undefined, arrivalRate: { rate: 100, timeUnit: '1ms' } }),
    ['load.arrivalRate.rate: 100 is not allowed; expected at most 10000 iterations per second (100 per 1ms is 100000 per second)'],
  ],
  ['an arrival rate at the limit', withLoad({ vus: undefined, arrivalRate: { rate: 600_000, timeUnit: '1m', maxVUs: 5000 } }), []],
  [
    'a script path longer than any path',
    withLoad({ script: `k6-scripts/${'x'.repeat(2000)}.ts` }),
    [`load.script: "k6-scripts/${'x'.repeat(47)}… is not allowed; expected a path of at most 1024 characters to a .js or .ts k6 script`],
  ],
  [
    'a name with a control character',
    withTop({ name: 'a\u0007b' }),
    ['name: "a\\u0007b" is not allowed; expected a name of 1 to 100 printable characters on one line'],
  ],
  [
    'env with a bad name and a null value',
    withLoad({ env: { 'THINK-TIME': '1', OK: null } }),
    [
      'load.env["THINK-TIME"]: key "THINK-TIME" is not allowed; expected a variable name of letters, digits and _, not starting with a digit, at most 128 characters',
      'load.env.OK: null is not allowed; expected a string, a number or true/false of at most 4096 characters',
    ],
  ],
  [
    'a script that does not exist',
    withLoad({ script: 'k6-scripts/nope.ts' }),
    [`load.script: "k6-scripts/nope.ts" is not allowed; expected an existing .js or .ts k6 script (looked for ${TEST_SOURCE.replace('under-test.yaml', 'k6-scripts/nope.ts')} and ${TEST_SOURCE.replace('harness/scenarios/under-test.yaml', 'k6-scripts/nope.ts')})`],
  ],
  ['a script that is not .js or .ts', withLoad({ script: 'README.md' }), ['load.script: "README.md" is not allowed; expected a .js or .ts k6 script']],
  // faults
  [
    'the misspelt selector of the brief',
    fault({ at: '20s', action: 'kill', target: 'busiest' }, { at: '30s', action: 'stop', target: 0 }, { at: '40s', action: 'kill', target: 'bussiest' }),
    ['faults[2].target: "bussiest" is not allowed; expected a replica index, "random", "busiest", "newest" or "datastore"'],
  ],
  ['a negative replica index', fault({ at: '20s', action: 'kill', target: -1 }), ['faults[0].target: -1 is not allowed; expected a replica index, "random", "busiest", "newest" or "datastore"']],
  [
    'a typo in a fault key',
    fault({ at: '20s', action: 'kill', tagret: 'busiest' }),
    ['faults[0].tagret: unknown key is not allowed; expected one of at, action, target, count, for — did you mean "target"?'],
  ],
  [
    'an unknown action',
    fault({ at: '20s', action: 'reboot', target: 0 }),
    ['faults[0].action: "reboot" is not allowed; expected one of "kill", "stop", "restart", "pause", "unpause", "scale-out", "scale-in", "partition", "heal"'],
  ],
  ['an offset after the end', fault({ at: '61s', action: 'kill', target: 0 }), ['faults[0].at: "61s" is not allowed; expected an offset inside the load duration (less than 1m)']],
  ['an offset at the very end', fault({ at: '1m', action: 'kill', target: 0 }), ['faults[0].at: "1m" is not allowed; expected an offset inside the load duration (less than 1m)']],
  [
    'a percentage of 100',
    fault({ at: '100%', action: 'kill', target: 0 }),
    ['faults[0].at: "100%" is not allowed; expected a duration such as "20s", "1m30s" or "1500ms", or a percentage of the load duration below 100% such as "33%"'],
  ],
  [
    'an offset as a bare number',
    fault({ at: 20, action: 'kill', target: 0 }),
    ['faults[0].at: 20 is not allowed; expected a duration such as "20s", "1m30s" or "1500ms", or a percentage of the load duration below 100% such as "33%"'],
  ],
  ['an index beyond the replicas', fault({ at: '20s', action: 'kill', target: 3 }), ['faults[0].target: 3 is not allowed; expected a replica index from 0 to 2 (3 replicas at 20s)']],
  [
    'an index that exists only after a scale-out',
    fault({ at: '30s', action: 'kill', target: 4 }, { at: '20s', action: 'scale-out', count: 2 }),
    [],
  ],
  ['scale-out with a target', fault({ at: '20s', action: 'scale-out', target: 1 }), ['faults[0].target: 1 is not allowed; expected no target for scale-out (it adds new replicas; use count)']],
  [
    'scale-out past maxReplicas',
    withTop({ maxReplicas: 4, faults: [{ at: '20s', action: 'scale-out', count: 2 }] }),
    ['faults[0].count: 2 is not allowed; expected at most 1 (3 replicas at 20s, maxReplicas 4)'],
  ],
  [
    'scale-in to zero',
    fault({ at: '20s', action: 'scale-in', count: 3 }),
    ['faults[0].count: 3 is not allowed; expected at most 2 (3 replicas at 20s; at least 1 must remain)'],
  ],
  [
    'scale-in of the data tier',
    fault({ at: '20s', action: 'scale-in', target: 'datastore' }),
    ['faults[0].target: "datastore" is not allowed; expected a replica target for scale-in (the data tier takes only "kill", "stop", "restart", "pause", "unpause", "partition" or "heal")'],
  ],
  [
    'scale-in of several by index',
    fault({ at: '20s', action: 'scale-in', target: 0, count: 2 }),
    ['faults[0].count: 2 is not allowed; expected 1 when the target is a replica index (use "newest", "random" or "busiest" to remove several)'],
  ],
  ['a count on a kill', fault({ at: '20s', action: 'kill', target: 0, count: 2 }), ['faults[0].count: 2 is not allowed; expected no count for kill (count is for scale-out and scale-in)']],
  ['a for on a kill', fault({ at: '20s', action: 'kill', target: 0, for: '5s' }), ['faults[0].for: "5s" is not allowed; expected no for with kill (only pause and partition revert automatically)']],
  [
    'a pause reverted after the end',
    fault({ at: '50s', action: 'pause', target: 0, for: '20s' }),
    ['faults[0].for: "20s" is not allowed; expected at most 10s, so that the automatic revert falls inside the load duration (1m)'],
  ],
  [
    'an unpause without a pause',
    fault({ at: '20s', action: 'unpause', target: 1 }),
    ['faults[0].target: 1 is not allowed; expected the target of an earlier pause without "for" that is still in effect (in effect at 20s: none)'],
  ],
  [
    'an unpause of another target',
    fault({ at: '20s', action: 'pause', target: 'random' }, { at: '30s', action: 'unpause', target: 'busiest' }),
    ['faults[1].target: "busiest" is not allowed; expected the target of an earlier pause without "for" that is still in effect (in effect at 30s: "random")'],
  ],
  [
    'an unpause written before its pause in time',
    fault({ at: '30s', action: 'pause', target: 0 }, { at: '20s', action: 'unpause', target: 0 }),
    ['faults[1].target: 0 is not allowed; expected the target of an earlier pause without "for" that is still in effect (in effect at 20s: none)'],
  ],
  [
    'a heal after a timed partition',
    fault({ at: '20s', action: 'partition', target: 0, for: '5s' }, { at: '30s', action: 'heal', target: 0 }),
    ['faults[1].target: 0 is not allowed; expected the target of an earlier partition without "for" that is still in effect (in effect at 30s: none)'],
  ],
  ['a heal matching its partition', fault({ at: '20s', action: 'partition', target: 'newest' }, { at: '30s', action: 'heal', target: 'newest' }), []],
  // thresholds
  [
    'a threshold for an architecture not in the scenario',
    withTop({ architectures: ['stateless'], thresholds: { stateful: [{ metric: 'error_rate', max: 0.1 }] } }),
    ['thresholds.stateful: [{"metric":"error_rate","max":0.1}] is not allowed; expected thresholds only for the scenario\'s architectures ("stateless") or "*"'],
  ],
  [
    'a percentage where a fraction belongs',
    withTop({ thresholds: { '*': [{ metric: 'error_rate', max: 5 }] } }),
    ['thresholds["*"][0].max: 5 is not allowed; expected a fraction from 0 to 1 for error_rate (0.05 = 5 %)'],
  ],
  [
    'an unknown metric',
    withTop({ thresholds: { stateless: [{ metric: 'p90_ms', max: 5 }] } }),
    ['thresholds.stateless[0].metric: "p90_ms" is not allowed; expected one of "error_rate", "session_loss_rate", "sessions_lost", "p95_ms", "p99_ms", "recovery_ms", "detection_ms", "scale_out_ms"'],
  ],
  [
    'the same threshold twice',
    withTop({ thresholds: { stateless: [{ metric: 'p95_ms', max: 5 }, { metric: 'p95_ms', max: 9, scope: 'trial' }] } }),
    ['thresholds.stateless[1].metric: "p95_ms" is not allowed; expected one threshold per metric and scope (p95_ms with scope trial is already thresholds.stateless[0])'],
  ],
  [
    'a threshold on something never measured',
    withTop({ faults: [], thresholds: { '*': [{ metric: 'recovery_ms', max: 5000 }, { metric: 'error_rate', max: 0.1, scope: 'fault-windows' }] } }),
    [
      'thresholds["*"][0].metric: "recovery_ms" is not allowed; expected a metric this scenario measures (recovery_ms needs at least one fault)',
      'thresholds["*"][1].scope: "fault-windows" is not allowed; expected "trial" (the scenario has no faults, hence no fault windows)',
    ],
  ],
  [
    'a typo in an architecture key of thresholds',
    withTop({ thresholds: { statefull: [] } }),
    ['thresholds.statefull: unknown key is not allowed; expected one of *, stateful, stateless, event-sourced — did you mean "stateful"?'],
  ],
  ['a negative max', withTop({ thresholds: { '*': [{ metric: 'p99_ms', max: -1 }] } }), ['thresholds["*"][0].max: -1 is not allowed; expected a number ≥ 0']],
];

describe('bad scenarios, one line per problem', () => {
  it.each(cases)('%s', (_label, raw, expected) => {
    if (expected.length === 0) {
      expect(() => validateScenario(raw, TEST_SOURCE)).not.toThrow();
      return;
    }
    expect(problemsOf(raw)).toEqual(expected);
  });

  it('reports every problem at once, in the order of the file', () => {
    const raw = {
      name: 'many problems',
      architectures: ['stateful', 'stateful'],
      replicas: 0,
      load: { script: 'k6-scripts/session-journey.ts', vus: 5, duration: '30s', env: { VUS: '9' } },
      faults: [
        { at: '40s', action: 'kill', target: 'busiest' },
        { at: '10s', action: 'pause', tagret: 0 },
      ],
      thresholds: { '*': [{ metric: 'error_rate', max: 2 }] },
    };
    expect(problemsOf(raw)).toEqual([
      'architectures[1]: "stateful" is not allowed; expected each trial name once (it is already architectures[0]; a variant needs a name of its own)',
      'replicas: 0 is not allowed; expected an integer from 1 to 16',
      'load.env.VUS: "9" is not allowed; expected a variable the harness does not set itself (it sets BASE_URL, VUS, DURATION, STAGES, RATE, TIME_UNIT, PRE_ALLOCATED_VUS, MAX_VUS from the scenario)',
      'faults[0].at: "40s" is not allowed; expected an offset inside the load duration (less than 30s)',
      'faults[1].tagret: unknown key is not allowed; expected one of at, action, target, count, for — did you mean "target"?',
      'thresholds["*"][0].max: 2 is not allowed; expected a fraction from 0 to 1 for error_rate (0.05 = 5 %)',
    ]);
  });

  it('counts a description in characters, not UTF-16 units', () => {
    expect(() => validateScenario(withTop({ description: '😀'.repeat(2000) }), TEST_SOURCE)).not.toThrow();
    expect(problemsOf(withTop({ description: '😀'.repeat(2001) }))[0]).toMatch(/^description: "😀{58}… is not allowed; expected at most 2000 characters$/u);
  });

  it('shows the first 30 lines of many, and says how many there are', () => {
    const faults = Array.from({ length: 100 }, () => ({ at: 'soon', action: 'kill', target: 0 }));
    const caught = scenarioErrorOf(withTop({ faults }));
    expect(caught.message.split('\n')).toHaveLength(30);
    expect(caught.hint).toMatch(/^100 problems \(the first 30 shown\) in .*under-test\.yaml; /);
  });

  it('refuses data that contains itself (a caller other than the file reader) without recursing forever', () => {
    const raw = validRaw();
    (raw['load'] as Record<string, unknown>)['env'] = raw;
    expect(problemsOf(raw)).toEqual(['load.env: a mapping that contains itself is not allowed; expected plain data without cycles']);
    const list: unknown[] = [];
    list.push(list);
    expect(problemsOf(withTop({ architectures: list }))).toEqual(['architectures[0]: a list that contains itself is not allowed; expected plain data without cycles']);
  });

  it('throws one HarnessError with code E_SCENARIO, exit code 2, the lines as its message and the file in its hint', () => {
    const caught = scenarioErrorOf(withTop({ replicas: 0, seed: 'x' }));
    expect(caught.message).toBe(
      // In the file's order: replicas is an existing key, seed was added last.
      ['replicas: 0 is not allowed; expected an integer from 1 to 16', 'seed: "x" is not allowed; expected an integer from 0 to 4294967295'].join('\n'),
    );
    expect(caught.hint).toMatch(/^2 problems in .*under-test\.yaml; harness\/scenario\/scenario\.schema\.json/);
  });
});
