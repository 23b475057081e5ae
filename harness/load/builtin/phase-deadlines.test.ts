import { describe, expect, it } from 'vitest';
import { K6_EXIT } from '../contract.ts';
import { resolveOptions } from './options.ts';
import { deadlineExitCode, deadlineMessage, endDeadline, initDeadline, scenariosDeadline, setupDeadline, teardownDeadline } from './phase-deadlines.ts';

const scenarios = (raw: unknown) => resolveOptions(raw, {}, () => undefined).scenarios;

describe('phase deadlines', () => {
  it('the scenarios: the last scenario’s start + duration + graceful stop, as k6’s "max duration (incl. graceful stop)"', () => {
    const one = scenariosDeadline(scenarios({ scenarios: { s: { executor: 'constant-vus', duration: '2s', gracefulStop: '1s' } } }), 1_000);
    expect(one).toEqual({ phase: 'scenarios', endBy: 4_000, bound: 'the scenarios should have ended by 2s + 1s gracefulStop' });
    // The --duration shortcut keeps k6's default gracefulStop of 30 s.
    expect(scenariosDeadline(scenarios({ duration: '2s' }), 0).bound).toBe('the scenarios should have ended by 2s + 30s gracefulStop');

    const two = scenariosDeadline(
      scenarios({
        scenarios: {
          a: { executor: 'shared-iterations', iterations: 5, maxDuration: '1m' },
          b: { executor: 'ramping-vus', startTime: '10s', stages: [{ duration: '20s', target: 5 }], gracefulRampDown: '45s', gracefulStop: '5s' },
        },
      }),
      0,
    );
    // a ends by 1m30s, b by 10s + 20s + 45s = 1m15s.
    expect(two).toMatchObject({ endBy: 90_000, bound: 'the scenarios should have ended by 1m0s + 30s gracefulStop (the end of scenario "a")' });
    const rampDown = scenariosDeadline(scenarios({ scenarios: { b: { executor: 'ramping-vus', stages: [{ duration: '20s', target: 5 }], gracefulRampDown: '45s' } } }), 0);
    expect(rampDown).toMatchObject({ endBy: 65_000, bound: 'the scenarios should have ended by 20s + 45s gracefulRampDown' });
  });

  it('setup, teardown, init and the end of the test', () => {
    expect(setupDeadline(1_000, 5)).toEqual({ phase: 'setup', endBy: 1_005, bound: 'setup() should have ended within its setupTimeout of 1s' });
    expect(teardownDeadline(60_000, 0)).toMatchObject({ phase: 'teardown', endBy: 60_000 });
    expect(initDeadline(0)).toMatchObject({ phase: 'init', endBy: 300_000 });
    expect(endDeadline(0)).toMatchObject({ phase: 'end', endBy: 120_000 });
  });

  it('a kill exits with k6’s code for the phase: 100 in setup, 101 in teardown, else 102; never 0 or 99', () => {
    expect(deadlineExitCode('setup')).toBe(K6_EXIT.setupTimeout);
    expect(deadlineExitCode('teardown')).toBe(K6_EXIT.teardownTimeout);
    for (const phase of ['init', 'scenarios', 'end'] as const) expect(deadlineExitCode(phase)).toBe(K6_EXIT.genericTimeout);
    expect(deadlineMessage(setupDeadline(1_000, 0))).toBe('the script did not yield: setup() should have ended within its setupTimeout of 1s; the engine process was killed 3s after that');
  });
});
