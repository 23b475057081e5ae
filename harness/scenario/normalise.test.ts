import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../core/paths.ts';
import { planRun } from '../plan/run-plan.ts';
import { problemsOf, validRaw, TEST_SOURCE, withLoad, withTop } from './testing/valid.ts';
import { validateScenario } from './validate.ts';

describe('normalised scenario', () => {
  it('fills the defaults: seed, maxReplicas, fault window, engine, env, thresholds', () => {
    const s = validateScenario(validRaw(), TEST_SOURCE);
    expect(s.seed).toBe(42);
    expect(s.maxReplicas).toBe(16);
    expect(s.faultWindowMs).toBe(10_000);
    expect(s.load.engine).toBe('auto');
    expect(s.load.env).toEqual({});
    expect(s.description).toBeUndefined();
    expect(s.thresholds).toEqual({ stateful: [], stateless: [], 'event-sourced': [] });
    expect(s.source).toBe(TEST_SOURCE);
  });

  it('makes one trial per entry: an architecture under its own name, or a variant with its app settings on top', () => {
    const s = validateScenario(
      withTop({
        architectures: [
          'stateless',
          { name: 'snapshot-1k', architecture: 'event-sourced', app: { env: { SNAPSHOT_EVERY_EVENTS: 1000 } } },
          { name: 'midnight', architecture: 'event-sourced', app: { env: { SNAPSHOT_EVERY_EVENTS: 0 }, seedEvents: 500 } },
        ],
        app: { env: { SNAPSHOT_EVERY_MS: 60000, SNAPSHOT_EVERY_EVENTS: 50 }, seedEvents: 100 },
      }),
      TEST_SOURCE,
    );
    expect(s.architectures).toEqual(['stateless', 'event-sourced']);
    expect(s.trials).toEqual([
      // Only event-sourced has a ledger log to seed.
      { name: 'stateless', architecture: 'stateless', appEnv: { SNAPSHOT_EVERY_MS: '60000', SNAPSHOT_EVERY_EVENTS: '50' }, seedEvents: 0, lb: {} },
      { name: 'snapshot-1k', architecture: 'event-sourced', appEnv: { SNAPSHOT_EVERY_MS: '60000', SNAPSHOT_EVERY_EVENTS: '1000' }, seedEvents: 100, lb: {} },
      { name: 'midnight', architecture: 'event-sourced', appEnv: { SNAPSHOT_EVERY_MS: '60000', SNAPSHOT_EVERY_EVENTS: '0' }, seedEvents: 500, lb: {} },
    ]);
  });

  it('takes load balancer settings for every trial, and a variant’s over them field by field', () => {
    const s = validateScenario(
      withTop({
        architectures: ['stateful', { name: 'slow-connect', architecture: 'stateless', lb: { connectTimeout: '1s', balance: 'leastconn' } }],
        lb: { connectTimeout: '20ms', retries: 1, checkInterval: '250ms', fall: 3, rise: 2 },
      }),
      TEST_SOURCE,
    );
    expect(s.trials.map((trial) => trial.lb)).toEqual([
      { connectTimeoutMs: 20, retries: 1, checkIntervalMs: 250, fall: 3, rise: 2 },
      { connectTimeoutMs: 1000, retries: 1, checkIntervalMs: 250, fall: 3, rise: 2, balance: 'leastconn' },
    ]);
    const plan = planRun(s, 'r-lb');
    expect(plan.trials.map((trial) => [trial.cluster.lb.connectTimeoutMs, trial.cluster.lb.balance, trial.cluster.lb.stickiness])).toEqual([
      [20, 'roundrobin', 'cookie'],
      [1000, 'leastconn', 'none'],
    ]);
  });

  it.each([
    [{ lb: { connectTimeout: '0ms' } }, /lb\.connectTimeout: "0ms" is not allowed; expected .*from 1ms to 1m/],
    [{ lb: { retries: 11 } }, /lb\.retries: 11 is not allowed; expected an integer from 0 to 10/],
    [{ lb: { balance: 'fastest' } }, /lb\.balance: "fastest" is not allowed; expected one of "roundrobin", "leastconn", "random"/],
    [{ lb: { stickyness: 'cookie' } }, /lb\.stickyness: unknown key is not allowed; expected one of connectTimeout, retries, checkInterval, fall, rise, balance, stickiness — did you mean "stickiness"\?/],
    [{ architectures: [{ name: 'v', architecture: 'stateful', lb: { fall: 0 } }] }, /architectures\[0\]\.lb\.fall: 0 is not allowed; expected an integer from 1 to 10/],
  ])('refuses bad load balancer settings %j, naming the field', (top, message) => {
    expect(problemsOf(withTop(top)).join('\n')).toMatch(message);
  });

  it('resolves the script next to the scenario first, then from the repository root', () => {
    const fromRoot = validateScenario(validRaw(), TEST_SOURCE);
    expect(fromRoot.load.script).toBe(path.join(REPO_ROOT, 'k6-scripts', 'session-journey.ts'));
    expect(fromRoot.load.scriptAsWritten).toBe('k6-scripts/session-journey.ts');
    const relative = validateScenario(withLoad({ script: '../../k6-scripts/browse.ts' }), TEST_SOURCE);
    expect(relative.load.script).toBe(path.join(REPO_ROOT, 'k6-scripts', 'browse.ts'));
  });

  it('turns durations into ms, percentages into offsets, and sorts the faults by time (keeping their file index)', () => {
    const s = validateScenario(
      withTop({
        faultWindow: '1m30s',
        faults: [
          { at: '75%', action: 'scale-in' },
          { at: '1500ms', action: 'pause', target: 'random' },
          { at: '33%', action: 'unpause', target: 'random' },
          { at: '33%', action: 'kill', target: 0 },
          { at: '50s', action: 'partition', target: 1, for: '2.5s' },
        ],
      }),
      TEST_SOURCE,
    );
    expect(s.faultWindowMs).toBe(90_000);
    expect(s.faults).toEqual([
      { index: 1, at: '1500ms', atMs: 1500, action: 'pause', target: 'random', count: 1, forMs: undefined },
      { index: 2, at: '33%', atMs: 19_800, action: 'unpause', target: 'random', count: 1, forMs: undefined },
      { index: 3, at: '33%', atMs: 19_800, action: 'kill', target: 0, count: 1, forMs: undefined },
      { index: 0, at: '75%', atMs: 45_000, action: 'scale-in', target: 'newest', count: 1, forMs: undefined },
      { index: 4, at: '50s', atMs: 50_000, action: 'partition', target: 1, count: 1, forMs: 2500 },
    ]);
  });

  it('names the executor of each load shape', () => {
    const stages = validateScenario(withLoad({ vus: undefined, duration: undefined, stages: [{ duration: '10s', target: 5 }, { duration: '50s', target: 10 }] }), TEST_SOURCE);
    expect(stages.load.shape).toEqual({ executor: 'ramping-vus', stages: [{ durationMs: 10_000, target: 5 }, { durationMs: 50_000, target: 10 }] });
    expect(stages.load.durationMs).toBe(60_000);

    const rate = validateScenario(withLoad({ vus: undefined, arrivalRate: { rate: 50 } }), TEST_SOURCE);
    expect(rate.load.shape).toEqual({ executor: 'constant-arrival-rate', rate: 50, timeUnitMs: 1000, preAllocatedVUs: 10, maxVUs: 100, durationMs: 60_000 });

    const capped = validateScenario(withLoad({ vus: undefined, arrivalRate: { rate: 5, timeUnit: '1m', maxVUs: 4 } }), TEST_SOURCE);
    expect(capped.load.shape).toMatchObject({ timeUnitMs: 60_000, preAllocatedVUs: 4, maxVUs: 4 });
  });

  it('turns env values into strings', () => {
    const s = validateScenario(withLoad({ env: { THINK_TIME: 0.5, VERBOSE: true, NAME: 'x' } }), TEST_SOURCE);
    expect(s.load.env).toEqual({ THINK_TIME: '0.5', VERBOSE: 'true', NAME: 'x' });
  });

  it('resolves thresholds per architecture: "*" for all, an architecture\'s own entry wins per metric and scope', () => {
    const s = validateScenario(
      withTop({
        thresholds: {
          '*': [{ metric: 'p95_ms', max: 500 }, { metric: 'error_rate', max: 0.1, scope: 'fault-windows' }],
          stateless: [{ metric: 'error_rate', max: 0.01, scope: 'fault-windows' }, { metric: 'error_rate', max: 0.001 }],
        },
      }),
      TEST_SOURCE,
    );
    expect(s.thresholds.stateful).toEqual([
      { metric: 'p95_ms', max: 500, scope: 'trial' },
      { metric: 'error_rate', max: 0.1, scope: 'fault-windows' },
    ]);
    expect(s.thresholds.stateless).toEqual([
      { metric: 'p95_ms', max: 500, scope: 'trial' },
      { metric: 'error_rate', max: 0.01, scope: 'fault-windows' },
      { metric: 'error_rate', max: 0.001, scope: 'trial' },
    ]);
  });

  it('accepts a $schema key for JSON files', () => {
    expect(() => validateScenario(withTop({ $schema: '../scenario/scenario.schema.json' }), TEST_SOURCE)).not.toThrow();
  });
});
