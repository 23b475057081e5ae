import type { LbStateRecord } from '../../faults/fault-event.ts';
import type { PlannedFault } from '../trial-plan.ts';

/**
 * Detection time: from the fault's start to the first load balancer record, at or after that start,
 * that marks one of the fault's target replicas `down` or `maint`. null when it never happens.
 */
export function detectionMs(fault: PlannedFault, lbStates: readonly LbStateRecord[]): number | null {
  if (!fault.detectable) return null;
  const targets = new Set(fault.replicaTargets);
  let first = Number.POSITIVE_INFINITY;
  for (const record of lbStates) {
    if (record.time < fault.start || record.replica === null || !targets.has(record.replica)) continue;
    if ((record.state === 'down' || record.state === 'maint') && record.time < first) first = record.time;
  }
  return Number.isFinite(first) ? first - fault.start : null;
}
