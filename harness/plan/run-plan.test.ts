import { describe, expect, it } from 'vitest';
import { validateScenario } from '../scenario/index.ts';
import { TEST_SOURCE, withTop } from '../scenario/testing/valid.ts';
import { planRun } from './run-plan.ts';

describe('planRun', () => {
  it('plans one trial per entry, each named, with its own app settings and the same load and faults', () => {
    const scenario = validateScenario(
      withTop({
        architectures: ['stateful', { name: 'snapshot-1k', architecture: 'event-sourced', app: { env: { SNAPSHOT_EVERY_EVENTS: 1000 }, seedEvents: 20_000 } }],
        app: { env: { LOG_REQUESTS: 1 } },
      }),
      TEST_SOURCE,
    );
    const plan = planRun(scenario, 'r1');
    expect(plan.trials.map((t) => [t.name, t.architecture, t.cluster.seedEvents, t.cluster.appEnv])).toEqual([
      ['stateful', 'stateful', 0, { LOG_REQUESTS: '1' }],
      ['snapshot-1k', 'event-sourced', 20_000, { LOG_REQUESTS: '1', SNAPSHOT_EVERY_EVENTS: '1000' }],
    ]);
    const [first, second] = plan.trials;
    expect(second?.faults).toEqual(first?.faults);
    expect(second?.load).toEqual(first?.load);
  });

  it('runs only the trials --only names, and records only those as planned', () => {
    const scenario = validateScenario(withTop({ architectures: ['stateful', 'stateless', 'event-sourced'] }), TEST_SOURCE);
    const plan = planRun(scenario, 'r1', { only: ['event-sourced', 'stateful'] });
    expect(plan.trials.map((t) => t.name)).toEqual(['stateful', 'event-sourced']);
    expect((plan.scenario as typeof scenario).trials.map((t) => t.name)).toEqual(['stateful', 'event-sourced']);
    expect(() => planRun(scenario, 'r1', { only: ['stateles'] })).toThrow(
      '--only: "stateles" is not allowed; expected one of the scenario\'s trials (stateful, stateless, event-sourced)',
    );
  });
});
