import type { LbStateRecord } from '../../faults/fault-event.ts';
import type { PlannedFault } from '../trial-plan.ts';

/**
 * Detection time: from the fault's start to the first load balancer record, at or after that start
 * and before the next fault on one of the same replicas, that marks one of the fault's target
 * replicas `down` or `maint`. null when it never happens. The bound matters for faults the replica
 * survives (a restart the checks did not catch): the down record of a later kill of the same replica
 * is that kill's detection, not this fault's.
 */
export function detectionMs(fault: PlannedFault, lbStates: readonly LbStateRecord[], faults: readonly PlannedFault[] = [fault]): number | null {
  if (!fault.detectable) return null;
  const targets = new Set(fault.replicaTargets);
  const next = faults.find((other) => other.position > fault.position && other.replicaTargets.some((target) => targets.has(target)));
  const until = next?.start ?? Number.POSITIVE_INFINITY;
  let first = Number.POSITIVE_INFINITY;
  for (const record of lbStates) {
    if (record.time < fault.start || record.time >= until || record.replica === null || !targets.has(record.replica)) continue;
    if ((record.state === 'down' || record.state === 'maint') && record.time < first) first = record.time;
  }
  return Number.isFinite(first) ? first - fault.start : null;
}
