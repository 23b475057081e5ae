import { faultEventsFile } from '../core/run-files/index.ts';
import type { OperationResult } from '../cluster/cluster.ts';
import { endsPendingRevert, revertedAction } from '../core/fault-action-lists.ts';
import { FAULT_TRAITS } from '../core/fault-actions.ts';
import { selectorLabel, type PlannedFault } from '../plan/fault-plan.ts';
import { RUN_ACTION } from './actions.ts';
import type { FaultAction, FaultEvent } from './fault-event.ts';
import type { FaultableCluster } from './faultable-cluster.ts';
import { SeededRandom } from './rng.ts';
import { NoTargetError, selectTargets } from './select-targets.ts';

export interface TimelineOptions {
  cluster: FaultableCluster;
  faults: readonly PlannedFault[];
  seed: number;
  /** events.ndjson of the trial; each executed fault appends one line. */
  eventsPath: string;
  clock?: () => number;
  onEvent?: (event: FaultEvent) => void;
}

/**
 * Runs a trial's faults at their offsets from t0, each on its own so a slow one (a scale-out that
 * waits for readiness) never delays the next. Pauses and partitions still in force when the trial
 * ends are reverted by finish(), also after a failure or an interrupt.
 */
export class FaultTimeline {
  private readonly options: TimelineOptions;
  private readonly now: () => number;
  private readonly random: SeededRandom;
  private readonly timers = new Set<NodeJS.Timeout>();
  private readonly running = new Set<Promise<void>>();
  /** Member name → the action that undoes what a fault did to it, with the fault's index and selector. */
  private readonly pendingReverts = new Map<string, { action: FaultAction; index: number; selector: string }>();
  private readonly fired = new Set<number>();
  private writes: Promise<void> = Promise.resolve();
  private t0 = 0;
  private stopped = false;
  readonly events: FaultEvent[] = [];

  constructor(options: TimelineOptions) {
    this.options = options;
    this.now = options.clock ?? Date.now;
    this.random = new SeededRandom(options.seed);
  }

  /** Schedules every fault relative to t0 (epoch ms of the start of load). */
  start(t0: number): void {
    this.t0 = t0;
    for (const fault of this.options.faults) {
      this.schedule(t0 + fault.atMs, () => this.fire(fault, false));
    }
  }

  /** The next fault not yet started, for progress lines. */
  next(): PlannedFault | undefined {
    return this.options.faults.find((f) => !this.fired.has(f.index));
  }

  get firedCount(): number {
    return this.fired.size;
  }

  /**
   * Ends the timeline: faults not yet due are dropped, running ones are awaited, and every pause or
   * partition still in force is reverted (recorded with `revert: true`).
   */
  async finish(): Promise<FaultEvent[]> {
    this.stopped = true;
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
    while (this.running.size > 0) await Promise.allSettled([...this.running]);
    for (const [target, revert] of [...this.pendingReverts]) {
      await this.execute(this.revertFault(revert.index, revert.action), [target], this.now(), true);
    }
    await this.writes;
    return this.events;
  }

  private schedule(at: number, run: () => Promise<void>): void {
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      if (this.stopped) return;
      const task = run().finally(() => this.running.delete(task));
      this.running.add(task);
    }, Math.max(0, at - this.now()));
    this.timers.add(timer);
  }

  private async fire(fault: PlannedFault, revert: boolean): Promise<void> {
    this.fired.add(fault.index);
    const scheduledAt = this.t0 + fault.atMs;
    let targets: string[];
    try {
      targets = this.pairedTargets(fault) ?? (await selectTargets(this.options.cluster, fault, this.random));
    } catch (error) {
      this.record(fault, [], scheduledAt, this.now(), this.now(), [], 'skipped', message(error), revert);
      return;
    }
    await this.execute(fault, targets, scheduledAt, revert);
    const { revertedBy } = FAULT_TRAITS[fault.action];
    if (fault.forMs !== undefined && revertedBy !== null) {
      const revertAt = scheduledAt + fault.forMs;
      const revertFault = this.revertFault(fault.index, revertedBy);
      this.schedule(revertAt, () => this.execute(revertFault, targets, revertAt, true));
    }
  }

  private async execute(fault: PlannedFault, targets: readonly string[], scheduledAt: number, revert: boolean): Promise<void> {
    const startedAt = this.now();
    const traits = FAULT_TRAITS[fault.action];
    let operations: OperationResult[] = [];
    let outcome: FaultEvent['outcome'] = 'ok';
    let error: string | undefined;
    try {
      operations = await RUN_ACTION[fault.action](this.options.cluster, targets, fault.count);
    } catch (failure) {
      outcome = 'failed';
      error = message(failure);
    }
    // An action that makes its own targets (scale-out) names them in its operations.
    const names = traits.target === null ? operations.map((o) => o.target) : [...targets];
    for (const name of names) {
      if (outcome !== 'ok') continue;
      if (traits.revertedBy !== null) {
        this.pendingReverts.set(name, { action: traits.revertedBy, index: fault.index, selector: selectorLabel(fault.selector) });
      } else if (endsPendingRevert(fault.action)) this.pendingReverts.delete(name);
    }
    this.record(fault, names, scheduledAt, startedAt, this.now(), operations, outcome, error, revert);
  }

  /**
   * An unpause or heal written with `random`, `busiest` or `newest` reverts the latest pause or
   * partition written with the same target that is still in effect — not a fresh choice, which
   * could pick a replica that was never paused.
   */
  private pairedTargets(fault: PlannedFault): string[] | undefined {
    const reverted = revertedAction(fault.action);
    if (reverted === null) return undefined;
    if (fault.selector.kind === 'index' || fault.selector.kind === 'datastore') return undefined;
    const label = selectorLabel(fault.selector);
    const paired = [...this.pendingReverts].filter(([, r]) => r.action === fault.action && r.selector === label).at(-1);
    if (!paired) throw new NoTargetError(`no ${reverted} with target ${label} is in effect`);
    return [paired[0]];
  }

  private revertFault(index: number, action: FaultAction): PlannedFault {
    return { index, atMs: 0, action, selector: { kind: 'newest' }, count: 1 };
  }

  /**
   * Keeps the event and appends it to events.ndjson in order. Nothing waits on the disk but finish():
   * a revert after `for` is scheduled as soon as its fault is done, and a failed write is thrown there.
   */
  private record(
    fault: PlannedFault,
    targets: string[],
    scheduledAt: number,
    startedAt: number,
    endedAt: number,
    operations: OperationResult[],
    outcome: FaultEvent['outcome'],
    error: string | undefined,
    revert: boolean,
  ): void {
    const event: FaultEvent = {
      type: 'fault',
      index: fault.index,
      action: fault.action,
      selector: revert ? 'revert' : selectorLabel(fault.selector),
      targets,
      scheduledOffsetMs: scheduledAt - this.t0,
      scheduledAt,
      startedAt,
      endedAt,
      startDelayMs: startedAt - scheduledAt,
      outcome,
      ...(error !== undefined ? { error } : {}),
      operations: operations.map((o) => ({
        target: o.target,
        containerId: o.containers[0] ?? '',
        requestedAt: o.requestedAt,
        completedAt: o.completedAt,
        phases: o.phases,
      })),
      ...(revert ? { revert: true } : {}),
    };
    this.events.push(event);
    this.options.onEvent?.(event);
    this.writes = this.writes.then(() => faultEventsFile.append(this.options.eventsPath, event));
    // Handled by finish(), which awaits it; without this a failed write would be an unhandled rejection until then.
    this.writes.catch(() => undefined);
  }
}

function message(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
