import { describe, expect, it } from 'vitest';
import type { ContainerInfo, ContainerRuntime, LogLine } from '../docker/runtime.ts';
import { planCluster } from '../plan/cluster-plan.ts';
import type { ClusterContext } from './cluster-context.ts';
import type { Member } from './members.ts';
import type { ReadinessCheck } from './readiness.ts';
import { waitForReady } from './wait-for-ready.ts';

const member: Member = { name: 'app-1', containerId: 'c1', role: 'app', index: 1, status: 'running' };

/** A context whose one container is in `state` and has logged `log`; the clock counts calls. */
function context(state: ContainerInfo['state'], log: string[] = []): ClusterContext {
  let time = 1000;
  const runtime = {
    inspectContainer: async (): Promise<Partial<ContainerInfo>> => ({ state, exitCode: state === 'exited' ? 1 : undefined }),
    containerLogs: async (): Promise<LogLine[]> => log.map((text) => ({ timestamp: '2026-12-01T10:00:00.000000000Z', stream: 'stdout', text })),
  } as unknown as ContainerRuntime;
  const plan = planCluster({ runId: 'r1', architecture: 'stateless', replicas: 1 });
  return { plan, images: { app: 'a', base: 'b' }, runtime, network: 'harness-r1', frontNetwork: 'harness-r1-front', signal: undefined, now: () => time++, log: () => undefined };
}

/** A check that passes on attempt `passesOn` (never when 0), counting its attempts. */
function check(passesOn: number, timeoutMs = 2000): ReadinessCheck & { attempts: string[] } {
  const attempts: string[] = [];
  return {
    attempts,
    timeoutMs,
    timedOut: `/readyz did not answer 200 within ${timeoutMs} ms`,
    async attempt(host) {
      attempts.push(host);
      if (attempts.length !== passesOn) throw new Error('status 503');
    },
  };
}

describe('waitForReady', () => {
  it('repeats the check at the address until it passes, and gives the time it did', async () => {
    const readiness = check(3);
    await expect(waitForReady(context('running'), member, '10.0.0.5', readiness)).resolves.toBe(1000);
    expect(readiness.attempts).toEqual(['10.0.0.5', '10.0.0.5', '10.0.0.5']);
  });

  it('stops at once when the container exits, with its exit code and the end of its log', async () => {
    const readiness = check(0);
    await expect(waitForReady(context('exited', ['starting', 'cannot reach redis']), member, '10.0.0.5', readiness)).rejects.toMatchObject({
      code: 'E_NOT_READY',
      message: 'app-1 never became ready: the container exited with code 1. Last lines of its log:\n  starting\n  cannot reach redis',
    });
    expect(readiness.attempts).toHaveLength(1);
  });

  it('says what did not happen in time when the check never passes', async () => {
    await expect(waitForReady(context('running'), member, '10.0.0.5', check(0, 120))).rejects.toMatchObject({
      code: 'E_NOT_READY',
      message: expect.stringMatching(/^app-1 never became ready: \/readyz did not answer 200 within 120 ms\. Last lines of its log:/),
      hint: 'Everything this run created has been removed.',
    });
  });
});
