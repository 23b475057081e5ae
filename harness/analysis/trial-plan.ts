import { takesReplicaAway } from '../core/fault-action-lists.ts';
import type { FaultEvent } from '../faults/fault-event.ts';
import { STATE_STORE } from '../plan/cluster-plan.ts';
import type { TrialRecord } from './inputs.ts';

/** Width of the per-second buckets (t = 0 at the trial's t0). Fair share has this resolution. */
export const BUCKET_MS = 1000;
/** Width of the buckets recovery is found on, aligned to each fault's start: its resolution. */
export const FINE_BUCKET_MS = 100;
/** The pre-fault baseline is the 10 s before the fault's start (glossary), also the "before" phase. */
export const BASELINE_MS = 10_000;
/** The "after" phase: the 10 s that follow the fault window, as long as the "before" phase. */
export const AFTER_PHASE_MS = 10_000;

/** Epoch ms, half-open [from, to). Empty when from = to. */
export interface TimeSpan {
  from: number;
  to: number;
}

export interface PlannedFault {
  event: FaultEvent;
  /** Position in `TrialPlan.faults` (ordered by start). */
  position: number;
  start: number;
  /**
   * The phases around the fault, each cut to the trial [t0, endedAt), by the time k6 stamped on a
   * point; overlapping phases of close faults each count the point:
   *   before = [start − 10 s, start)                       the baseline of error rate and latency
   *   during = [start, start + faultWindowMs)              the fault window
   *   after  = [start + faultWindowMs, that + 10 s)        whether things settled
   */
  before: TimeSpan;
  during: TimeSpan;
  after: TimeSpan;
  /** Replica targets; empty when the fault hit the data tier. */
  replicaTargets: readonly string[];
  /** Whether this fault can have sessions lost attributed to it (it was not skipped). */
  attributesSessions: boolean;
  /** Whether it takes a replica away: the sessions pinned to its targets are counted. */
  takesReplicaAway: boolean;
  /** Whether the load balancer should mark a target down after it. */
  detectable: boolean;
}

export interface TrialPlan {
  trial: TrialRecord;
  t0: number;
  endedAt: number;
  durationMs: number;
  /** Number of 1 s buckets; the last may be shorter than a second. */
  buckets: number;
  faultWindowMs: number;
  /**
   * Whether the architecture keeps sessions in the replica's memory (harness/plan/cluster-plan.ts):
   * only then are the sessions pinned to a replica that goes away "expected to lose".
   */
  sessionsLiveInReplica: boolean;
  faults: readonly PlannedFault[];
}

/** What the load is measured against, known before the load file is read. */
export function planTrial(trial: TrialRecord, events: readonly FaultEvent[]): TrialPlan {
  const t0 = trial.t0;
  const endedAt = trial.endedAt;
  const faultWindowMs = trial.faultWindowMs;
  const clamp = (from: number, to: number): TimeSpan => {
    const clampedFrom = Math.min(Math.max(from, t0), endedAt);
    return { from: clampedFrom, to: Math.max(clampedFrom, Math.min(to, endedAt)) };
  };
  const ordered = [...events].sort((a, b) => a.startedAt - b.startedAt || a.index - b.index);
  const faults = ordered.map((event, position): PlannedFault => {
    const start = event.startedAt;
    const replicaTargets = isDataTierFault(event) ? [] : event.targets;
    const happened = event.outcome !== 'skipped';
    // A replica out of service is out for the sessions pinned to it, and for the load balancer's checks.
    const replicaTakenAway = happened && replicaTargets.length > 0 && takesReplicaAway(event.action);
    return {
      event,
      position,
      start,
      before: clamp(start - BASELINE_MS, start),
      during: clamp(start, start + faultWindowMs),
      after: clamp(start + faultWindowMs, start + faultWindowMs + AFTER_PHASE_MS),
      replicaTargets,
      attributesSessions: happened,
      takesReplicaAway: replicaTakenAway,
      detectable: replicaTakenAway,
    };
  });
  const durationMs = Math.max(0, endedAt - t0);
  const sessionsLiveInReplica = (STATE_STORE as Readonly<Record<string, string | undefined>>)[trial.architecture] === 'memory';
  return { trial, t0, endedAt, durationMs, buckets: Math.ceil(durationMs / BUCKET_MS), faultWindowMs, sessionsLiveInReplica, faults };
}

/** The data tier is selected as "datastore" and named "redis" (harness/faults/fault-event.ts). */
export function isDataTierFault(event: FaultEvent): boolean {
  return event.selector === 'datastore' || (event.targets.length > 0 && event.targets.every((target) => target === 'redis'));
}
