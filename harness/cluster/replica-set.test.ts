import { describe, expect, it } from 'vitest';
import { HarnessError } from '../core/errors.ts';
import { RUNTIME_ERRORS, type ContainerInfo, type ContainerRuntime, type ContainerSpec, type LogLine } from '../docker/runtime.ts';
import { planCluster } from '../plan/cluster-plan.ts';
import { clusterContext } from './cluster-context.ts';
import { LbRegistry } from './lb-registry.ts';
import type { LoadBalancer } from './load-balancer.ts';
import { Roster } from './members.ts';
import type { ReadinessCheck } from './readiness.ts';
import { ReplicaSet } from './replica-set.ts';

/**
 * A runtime that records each call, whose containers run with an address on each network they are
 * on (10.0.0.k on the run's, 10.1.0.k on the front one), and that can refuse a second join.
 */
function fakeRuntime(options: { alreadyOnFront?: boolean } = {}) {
  const calls: string[] = [];
  const names: string[] = [];
  const short = (id: string): string => id.replace('harness-r1-', '');
  const runtime = {
    createContainer: async (spec: ContainerSpec) => {
      names.push(spec.name);
      calls.push(`create ${short(spec.name)} on ${spec.network}`);
      return spec.name;
    },
    startContainer: async (id: string) => void calls.push(`start ${short(id)}`),
    stopContainer: async (id: string, seconds: number) => void calls.push(`stop ${short(id)} ${seconds}s`),
    removeContainer: async (id: string) => void calls.push(`remove ${short(id)}`),
    containerLogs: async (id: string): Promise<LogLine[]> => [{ timestamp: '2026-12-01T10:00:00.000000000Z', stream: 'stdout', text: `${short(id)} says bye` }],
    inspectContainer: async (id: string): Promise<Partial<ContainerInfo>> => {
      const k = names.indexOf(id) + 1;
      return { state: 'running', addresses: { 'harness-r1': `10.0.0.${k}`, 'harness-r1-front': `10.1.0.${k}` } };
    },
    connectNetwork: async (id: string, network: string, aliases: readonly string[]) => {
      calls.push(`connect ${short(id)} to ${network} as ${aliases.join()}`);
      if (options.alreadyOnFront) throw new HarnessError(RUNTIME_ERRORS.alreadyOnNetwork, `connect ${id} to ${network}: already exists in network`);
    },
    disconnectNetwork: async (id: string, network: string) => {
      calls.push(`disconnect ${short(id)} from ${network}`);
      throw new HarnessError(RUNTIME_ERRORS.notOnNetwork, `disconnect ${id} from ${network}: is not connected`);
    },
  };
  return { runtime: runtime as unknown as ContainerRuntime, calls };
}

/** A load balancer that marks a replica up or down 7 ms after it is asked about (from `since`). */
function fakeLb(asked: string[]): LoadBalancer {
  return {
    waitFor: async (name: string, want: string, options: { since?: number } = {}) => {
      asked.push(`${name} ${want}`);
      return (options.since ?? 0) + 7;
    },
  } as unknown as LoadBalancer;
}

const passes: ReadinessCheck = { timeoutMs: 1000, timedOut: 'never', attempt: async () => undefined };

function replicaSet(options: { maxReplicas?: number; alreadyOnFront?: boolean } = {}) {
  const { runtime, calls } = fakeRuntime(options);
  const plan = planCluster({ runId: 'r1', architecture: 'stateless', replicas: 2, maxReplicas: options.maxReplicas ?? 4 });
  let time = 100;
  const context = clusterContext(plan, { app: 'app:1', base: 'base:1' }, runtime, { clock: () => (time += 10) });
  const roster = new Roster('r1');
  const registry = new LbRegistry(runtime, context.frontNetwork);
  return { set: new ReplicaSet(context, roster, registry, passes), roster, registry, calls };
}

describe('ReplicaSet', () => {
  it('starts replicas on the run network, registers each under the alias once ready, and times every phase', async () => {
    const { set, roster, registry, calls } = replicaSet();
    const asked: string[] = [];
    const results = await set.add(2, fakeLb(asked));
    expect(results.map((r) => r.target)).toEqual(['app-1', 'app-2']);
    for (const { requestedAt, phases, completedAt } of results) {
      expect(Object.keys(phases)).toEqual(['created', 'started', 'ready', 'inLb']);
      expect(requestedAt).toBeLessThan(phases.created!);
      expect(phases.created).toBeLessThan(phases.started!);
      expect(phases.started).toBeLessThan(phases.ready!);
      expect(phases.ready).toBeLessThan(phases.inLb!);
      expect(phases.inLb).toBeLessThan(completedAt);
    }
    expect(calls.filter((c) => c.includes('app-1'))).toEqual(['create app-1 on harness-r1', 'start app-1', 'connect app-1 to harness-r1-front as app']);
    expect(asked).toEqual(['app-1 up', 'app-2 up']);
    expect(roster.replicas().map((r) => r.name)).toEqual(['app-1', 'app-2']);
    expect(registry.addresses.holderAt('10.1.0.2')).toBe('app-2');
  });

  it('leaves the wait for the load balancer to the caller when there is none yet', async () => {
    const { set } = replicaSet();
    const [result] = await set.add(1, undefined);
    expect(Object.keys(result!.phases)).toEqual(['created', 'started', 'ready']);
  });

  it('refuses more replicas than the load balancer has slots, creating none', async () => {
    const { set, calls } = replicaSet({ maxReplicas: 2 });
    await set.add(2, undefined);
    await expect(set.add(1, undefined)).rejects.toMatchObject({ code: 'E_TOO_MANY_REPLICAS' });
    expect(calls.filter((c) => c.startsWith('create'))).toHaveLength(2);
  });

  it('restarts a running replica off the front network and registers it again once ready; a network it is on or off already is fine', async () => {
    const { set, roster, calls } = replicaSet({ alreadyOnFront: true });
    const lb = fakeLb([]);
    await set.add(1, lb);
    calls.length = 0;
    const phases: Record<string, number> = {};
    await set.restart(roster.get('app-1'), phases, lb);
    expect(calls).toEqual(['stop app-1 10s', 'disconnect app-1 from harness-r1-front', 'start app-1', 'connect app-1 to harness-r1-front as app']);
    expect(Object.keys(phases)).toEqual(['started', 'ready', 'inLb']);
  });

  it('scale-in stops a replica, waits until the load balancer marks it down, removes it and keeps its log', async () => {
    const { set, roster, calls } = replicaSet();
    const asked: string[] = [];
    const lb = fakeLb(asked);
    await set.add(2, lb);
    calls.length = 0;
    const [result] = await set.remove(['app-2'], lb);
    expect(calls).toEqual(['stop app-2 10s', 'remove app-2']);
    expect(asked.at(-1)).toBe('app-2 down');
    expect(result!.phases.outOfLb).toBe(result!.requestedAt + 7);
    expect(result!.phases.stopped).toBeLessThan(result!.phases.removed!);
    expect(roster.replicas().map((r) => r.name)).toEqual(['app-1']);
    expect(set.retired()).toEqual(['app-2']);
    expect(set.retiredLog('app-2')?.map((l) => l.text)).toEqual(['app-2 says bye']);
  });
});
