import type { FaultAction } from '../core/fault-actions.ts';

/** Which container a fault acts on, decided when the fault fires. */
export type TargetSelector =
  | { kind: 'index'; index: number }
  | { kind: 'random' }
  | { kind: 'busiest' }
  | { kind: 'newest' }
  | { kind: 'datastore' };

/** One fault of a trial's timeline, with its offset from t0 (start of load) in milliseconds. */
export interface PlannedFault {
  index: number;
  atMs: number;
  action: FaultAction;
  selector: TargetSelector;
  /** scale-out / scale-in: how many replicas. */
  count: number;
  /** pause / partition: revert after this long (otherwise at the trial's end at the latest). */
  forMs?: number;
}

export function selectorLabel(selector: TargetSelector): string {
  return selector.kind === 'index' ? String(selector.index) : selector.kind;
}
