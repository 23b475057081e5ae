import { describe, expect, it } from 'vitest';
import { planCluster } from './cluster-plan.ts';

describe('planCluster', () => {
  it('makes a plan with default slots and limits', () => {
    const plan = planCluster({ runId: 'r1', architecture: 'stateful', replicas: 3 });
    expect(plan).toMatchObject({ architecture: 'stateful', replicas: 3, maxReplicas: 16, readyTimeoutMs: 30_000 });
    expect(plan.limits.app.memoryBytes).toBe(256 * 1024 * 1024);
    expect(plan).toMatchObject({ seedEvents: 0, appEnv: {} });
  });

  it('gives the load balancer the default settings, stickiness following where sessions live', () => {
    const defaults = { connectTimeoutMs: 50, retries: 3, checkIntervalMs: 500, fall: 2, rise: 1, balance: 'roundrobin' };
    expect(planCluster({ runId: 'r1', architecture: 'stateful', replicas: 3 }).lb).toEqual({ ...defaults, stickiness: 'cookie' });
    expect(planCluster({ runId: 'r1', architecture: 'stateless', replicas: 3 }).lb).toEqual({ ...defaults, stickiness: 'none' });
    expect(planCluster({ runId: 'r1', architecture: 'event-sourced', replicas: 3 }).lb.stickiness).toBe('none');
  });

  it('takes load balancer settings that differ from the defaults', () => {
    const plan = planCluster({ runId: 'r1', architecture: 'stateless', replicas: 2, lb: { connectTimeoutMs: 200, balance: 'leastconn', stickiness: 'cookie', fall: undefined } });
    expect(plan.lb).toMatchObject({ connectTimeoutMs: 200, balance: 'leastconn', stickiness: 'cookie', fall: 2 });
  });

  it.each([
    [{ architecture: 'stateful', replicas: 0 }, 'replicas: 0 is not allowed; expected an integer from 1 to 32'],
    [{ architecture: 'stateful', replicas: 2.5 }, 'replicas: 2.5 is not allowed'],
    [{ architecture: 'serverless', replicas: 2 }, 'architecture: "serverless" is not allowed; expected one of stateful, stateless, event-sourced'],
    [{ architecture: 'stateless', replicas: 4, maxReplicas: 3 }, 'max-replicas: 3 is not allowed; expected an integer from replicas (4) to 32'],
    [{ architecture: 'stateless', replicas: 2, seedEvents: 10 }, 'seed-events: 10 is not allowed; expected 0 for the stateless architecture (only event-sourced has a ledger log to seed)'],
    [{ architecture: 'stateless', replicas: 2, lb: { connectTimeoutMs: 0 } }, 'lb.connectTimeoutMs: 0 is not allowed; expected an integer from 1 to 60000'],
    [{ architecture: 'stateless', replicas: 2, lb: { retries: 1.5 } }, 'lb.retries: 1.5 is not allowed; expected an integer from 0 to 10'],
    [{ architecture: 'stateless', replicas: 2, lb: { checkIntervalMs: 10 } }, 'lb.checkIntervalMs: 10 is not allowed; expected an integer from 50 to 60000'],
    [{ architecture: 'stateless', replicas: 2, lb: { fall: 0 } }, 'lb.fall: 0 is not allowed; expected an integer from 1 to 10'],
    [{ architecture: 'stateless', replicas: 2, lb: { balance: 'source' as 'roundrobin' } }, 'lb.balance: "source" is not allowed; expected one of roundrobin, leastconn, random'],
    [{ architecture: 'stateless', replicas: 2, lb: { stickiness: 'ip' as 'none' } }, 'lb.stickiness: "ip" is not allowed; expected one of cookie, none'],
  ])('rejects %j with a message naming the field, the value and what is allowed', (input, message) => {
    expect(() => planCluster({ runId: 'r1', ...input })).toThrow(message);
  });
});
