/**
 * What the fault timeline records, one JSON object per line of `events.ndjson`. Times are epoch
 * milliseconds on the host's clock; offsets are milliseconds from the trial's t0 (start of load).
 */
import type { FaultAction } from '../core/fault-actions.ts';

export { FAULT_ACTIONS, type FaultAction } from '../core/fault-actions.ts';

/** One container operation inside a fault, with the time each phase was reached. */
export interface FaultOperation {
  target: string;
  containerId: string;
  requestedAt: number;
  completedAt: number;
  /**
   * scale-out: created, started, ready, inLb; scale-in: stopped, outOfLb, removed; restart: started,
   * ready (a replica: inLb); heal of a replica: ready, inLb; others: done. inLb and outOfLb are the
   * load balancer's own times (its log), the others the harness's.
   */
  phases: Record<string, number>;
}

export interface FaultEvent {
  type: 'fault';
  /** Position in the scenario's timeline (0-based); reverts at trial end repeat their fault's index. */
  index: number;
  action: FaultAction;
  /** The selector as written: a replica index ("0"), "random", "busiest", "newest" or "datastore". */
  selector: string;
  /** Replica names (`app-2`) or `redis` for the data tier. */
  targets: string[];
  scheduledOffsetMs: number;
  scheduledAt: number;
  startedAt: number;
  endedAt: number;
  /** startedAt − scheduledAt: how late the fault started. */
  startDelayMs: number;
  outcome: 'ok' | 'failed' | 'skipped';
  error?: string;
  operations: FaultOperation[];
  /** true for the automatic revert of a pause or partition at the end of the trial. */
  revert?: boolean;
}
