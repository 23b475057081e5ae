import { describe, expect, it } from 'vitest';
import { planCluster } from './cluster-plan.ts';

describe('planCluster', () => {
  it('makes a plan with default slots and limits', () => {
    const plan = planCluster({ runId: 'r1', architecture: 'stateful', replicas: 3 });
    expect(plan).toMatchObject({ architecture: 'stateful', replicas: 3, maxReplicas: 16, readyTimeoutMs: 30_000 });
    expect(plan.limits.app.memoryBytes).toBe(256 * 1024 * 1024);
    expect(plan).toMatchObject({ seedEvents: 0, appEnv: {} });
  });

  it.each([
    [{ architecture: 'stateful', replicas: 0 }, 'replicas: 0 is not allowed; expected an integer from 1 to 32'],
    [{ architecture: 'stateful', replicas: 2.5 }, 'replicas: 2.5 is not allowed'],
    [{ architecture: 'serverless', replicas: 2 }, 'architecture: "serverless" is not allowed; expected one of stateful, stateless, event-sourced'],
    [{ architecture: 'stateless', replicas: 4, maxReplicas: 3 }, 'max-replicas: 3 is not allowed; expected an integer from replicas (4) to 32'],
    [{ architecture: 'stateless', replicas: 2, seedEvents: 10 }, 'seed-events: 10 is not allowed; expected 0 for the stateless architecture (only event-sourced has a ledger log to seed)'],
  ])('rejects %j with a message naming the field, the value and what is allowed', (input, message) => {
    expect(() => planCluster({ runId: 'r1', ...input })).toThrow(message);
  });
});
