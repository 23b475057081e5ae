import type { LbStateRecord } from '../../core/run-files/index.ts';
import type { PlannedFault } from '../trial-plan.ts';
import { detectionCause, type DetectionCause } from './detection-cause.ts';

export interface Detection {
  ms: number;
  cause: DetectionCause;
  /** HAProxy's own words for it. */
  reason: string;
}

/**
 * Detection of a fault: from its start to the first load balancer record, at or after that start
 * and before the next fault on one of the same replicas, that marks one of its target replicas `down`
 * or `maint`, with what caused that record. null when it never happens. The bound matters for faults
 * the replica survives (a restart the checks did not catch): the down record of a later kill of the
 * same replica is that kill's detection, not this fault's.
 */
export function detection(fault: PlannedFault, lbStates: readonly LbStateRecord[], faults: readonly PlannedFault[] = [fault]): Detection | null {
  if (!fault.detectable) return null;
  const targets = new Set(fault.replicaTargets);
  const next = faults.find((other) => other.position > fault.position && other.replicaTargets.some((target) => targets.has(target)));
  const until = next?.start ?? Number.POSITIVE_INFINITY;
  let first: LbStateRecord | undefined;
  for (const record of lbStates) {
    if (record.time < fault.start || record.time >= until || record.replica === null || !targets.has(record.replica)) continue;
    if ((record.state === 'down' || record.state === 'maint') && (first === undefined || record.time < first.time)) first = record;
  }
  if (first === undefined || (first.state !== 'down' && first.state !== 'maint')) return null;
  return { ms: first.time - fault.start, cause: detectionCause(first.state, first.reason), reason: first.reason };
}

/** Detection time alone (null: not detected, or not a fault to detect). */
export function detectionMs(fault: PlannedFault, lbStates: readonly LbStateRecord[], faults: readonly PlannedFault[] = [fault]): number | null {
  return detection(fault, lbStates, faults)?.ms ?? null;
}
