import type { Member } from '../cluster/cluster.ts';
import { FAULT_TRAITS } from '../core/fault-actions.ts';
import type { PlannedFault } from '../plan/fault-plan.ts';
import type { FaultableCluster } from './faultable-cluster.ts';
import type { SeededRandom } from './rng.ts';

export class NoTargetError extends Error {}

/**
 * Resolves a fault's selector to member names at the moment it fires. Deterministic for a given
 * seed and history: `random` draws from the trial's seeded generator, ties go to the oldest replica.
 */
export async function selectTargets(cluster: FaultableCluster, fault: PlannedFault, random: SeededRandom): Promise<string[]> {
  const { target, scale } = FAULT_TRAITS[fault.action];
  // An action that makes its own targets (scale-out) chooses none.
  if (target === null) return [];
  const eligible = target.states;
  const { selector } = fault;
  if (selector.kind === 'datastore') {
    const datastore = cluster.datastore;
    if (!datastore) throw new NoTargetError(`the ${cluster.plan.architecture} architecture has no data tier`);
    if (!eligible.includes(datastore.status)) throw new NoTargetError(`the data tier is ${datastore.status}`);
    return [datastore.name];
  }
  const replicas = cluster.replicas();
  if (selector.kind === 'index') {
    const replica = replicas[selector.index];
    if (!replica) throw new NoTargetError(`there is no replica at index ${selector.index} (${replicas.length} exist)`);
    if (!eligible.includes(replica.status)) throw new NoTargetError(`${replica.name} is ${replica.status}`);
    return [replica.name];
  }
  const candidates = replicas.filter((r) => eligible.includes(r.status));
  const count = scale === null ? 1 : fault.count;
  if (candidates.length < count) {
    throw new NoTargetError(`${count} ${fault.action} target(s) needed, ${candidates.length} replica(s) can take it`);
  }
  const chosen: Member[] = [];
  const pool = [...candidates];
  for (let i = 0; i < count; i++) {
    const next = await pickOne(cluster, selector.kind, pool, random);
    chosen.push(next);
    pool.splice(pool.indexOf(next), 1);
  }
  return chosen.map((m) => m.name);
}

async function pickOne(
  cluster: FaultableCluster,
  kind: 'random' | 'busiest' | 'newest',
  pool: readonly Member[],
  random: SeededRandom,
): Promise<Member> {
  switch (kind) {
    case 'random':
      return random.pick(pool)!;
    case 'newest':
      return pool.reduce((a, b) => ((b.index ?? 0) > (a.index ?? 0) ? b : a));
    case 'busiest': {
      const counts = await cluster.lbRequestCounts();
      return pool.reduce((a, b) => ((counts[b.name] ?? 0) > (counts[a.name] ?? 0) ? b : a));
    }
  }
}
