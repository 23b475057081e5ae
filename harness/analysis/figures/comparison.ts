import type { ComparisonEntry, ComparisonFigure, FaultFigures, FaultSessions, TrialResult } from '../results-schema.ts';
import { hasSessions } from './session-figures.ts';

type Measured = { value: number; status: 'value' } | { value: null; status: 'never' | 'not-applicable' };

interface FigureDefinition {
  figure: ComparisonFigure;
  label: string;
  unit: ComparisonEntry['unit'];
  better: ComparisonEntry['better'];
  measure: (trial: TrialResult) => Measured;
}

const value = (number: number | null | undefined): Measured =>
  number === null || number === undefined ? { value: null, status: 'not-applicable' } : { value: number, status: 'value' };
const NOT_APPLICABLE: Measured = { value: null, status: 'not-applicable' };

/** Faults that measure the architecture (the end-of-trial reverts only tidy up). */
const measuredFaults = (trial: TrialResult): FaultFigures[] =>
  trial.faults.filter((fault) => !fault.revert && fault.outcome !== 'skipped');

/** The worst of a per-fault session rate, over the faults that have it; n/a for a workload without sessions. */
function worstSessionRate(trial: TrialResult, pick: (sessions: FaultSessions) => number | null): Measured {
  const rates = measuredFaults(trial).flatMap((fault) => {
    const rate = fault.sessions === null ? null : pick(fault.sessions);
    return rate === null ? [] : [rate];
  });
  return rates.length === 0 ? NOT_APPLICABLE : { value: Math.max(...rates), status: 'value' };
}

/** A per-fault count summed over the faults that ran; n/a without one. */
function sumOverFaults(trial: TrialResult, pick: (fault: FaultFigures) => number): Measured {
  const faults = measuredFaults(trial);
  return faults.length === 0 ? NOT_APPLICABLE : value(faults.reduce((sum, fault) => sum + pick(fault), 0));
}

/**
 * The worst of a per-fault (or per-replica) figure: a null that means "never happened" (not
 * recovered, not detected, fair share not reached) is the worst of all; nothing to measure is n/a.
 */
function worst(values: ReadonlyArray<number | null>): Measured {
  if (values.length === 0) return NOT_APPLICABLE;
  if (values.some((entry) => entry === null)) return { value: null, status: 'never' };
  return { value: Math.max(...(values as number[])), status: 'value' };
}

const FIGURES: readonly FigureDefinition[] = [
  {
    figure: 'bankLostTransactions',
    label: 'Transactions lost (bank audit)',
    unit: 'count',
    better: 'lower',
    measure: (t) => (t.bank === null ? NOT_APPLICABLE : value(t.bank.lostTransactions)),
  },
  {
    figure: 'bankMissingCents',
    label: 'Money missing at the audit (cents)',
    unit: 'count',
    better: 'lower',
    measure: (t) => (t.bank === null || t.bank.auditBalanceCents === null ? NOT_APPLICABLE : value(t.bank.missingCents)),
  },
  {
    figure: 'errorRate',
    label: 'Request error rate (whole trial)',
    unit: 'ratio',
    better: 'lower',
    measure: (t) => value(t.totals.errorRate),
  },
  {
    figure: 'p95LatencyMs',
    label: 'p95 latency (whole trial)',
    unit: 'ms',
    better: 'lower',
    measure: (t) => value(t.totals.latency.p95Ms),
  },
  {
    figure: 'p99LatencyMs',
    label: 'p99 latency (whole trial)',
    unit: 'ms',
    better: 'lower',
    measure: (t) => value(t.totals.latency.p99Ms),
  },
  {
    figure: 'sessionsLost',
    label: 'Sessions lost',
    unit: 'count',
    better: 'lower',
    measure: (t) => (hasSessions(t.totals) ? value(t.totals.sessionsLost) : NOT_APPLICABLE),
  },
  {
    figure: 'worstSessionLossRate',
    label: 'Session loss rate: lost / open at the fault (worst fault)',
    unit: 'ratio',
    better: 'lower',
    measure: (t) => worstSessionRate(t, (sessions) => sessions.lossRate),
  },
  {
    // Beside the headline rate: where sessions live in the replica, these are the ones expected to go.
    figure: 'worstPinnedSessionLossRate',
    label: 'Session loss rate: lost / pinned to the target (worst fault)',
    unit: 'ratio',
    better: 'lower',
    measure: (t) => worstSessionRate(t, (sessions) => sessions.pinnedLossRate),
  },
  {
    figure: 'excessErrors',
    label: 'Excess errors (sum over faults)',
    unit: 'count',
    better: 'lower',
    measure: (t) => sumOverFaults(t, (fault) => fault.excessErrors),
  },
  {
    figure: 'slowRequests',
    label: 'Slow requests in fault windows (sum over faults)',
    unit: 'count',
    better: 'lower',
    measure: (t) => sumOverFaults(t, (fault) => fault.slowRequests.count),
  },
  {
    figure: 'worstRecoveryMs',
    label: 'Recovery time (worst fault)',
    unit: 'ms',
    better: 'lower',
    measure: (t) => worst(measuredFaults(t).map((fault) => fault.recoveryMs)),
  },
  {
    figure: 'worstDetectionMs',
    label: 'Detection time (worst fault)',
    unit: 'ms',
    better: 'lower',
    measure: (t) =>
      worst(
        measuredFaults(t)
          .filter((fault) => fault.detectionApplies)
          .map((fault) => fault.detectionMs),
      ),
  },
  {
    figure: 'worstScaleOutFirstRequestMs',
    label: 'Scale-out latency: first request − T0 (worst replica)',
    unit: 'ms',
    better: 'lower',
    measure: (t) => worst(t.scaleOut.map((replica) => replica.firstRequestMs)),
  },
  {
    figure: 'worstFairShareMs',
    label: 'Scale-out: fair share − T0 (worst replica)',
    unit: 'ms',
    better: 'lower',
    measure: (t) => worst(t.scaleOut.map((replica) => replica.fairShareMs)),
  },
  {
    // The event-sourced trade-off in one number: what a restarted or added replica waited, replay included.
    figure: 'worstReplayTimeToReadyMs',
    label: 'Time to ready with replay, after a restart or scale-out (worst replica)',
    unit: 'ms',
    better: 'lower',
    measure: (t) => worst(t.replays.flatMap((replay) => (replay.timeToReadyMs === null ? [] : [replay.timeToReadyMs]))),
  },
];

/** Each headline figure side by side, with the trial(s) that did best. */
export function compareTrials(trials: readonly TrialResult[]): ComparisonEntry[] {
  // A figure no trial can have (money in a run without the bank script) is left out, not shown as n/a.
  const applicable = FIGURES.filter((definition) => trials.some((trial) => definition.measure(trial).status !== 'not-applicable'));
  return applicable.map((definition) => {
    const values = trials.map((trial) => ({ trial: trial.name, ...definition.measure(trial) }));
    const measured = values.filter((entry): entry is typeof entry & { value: number } => entry.status === 'value');
    let best: string[] = [];
    if (measured.length > 0) {
      const pick = definition.better === 'lower' ? Math.min : Math.max;
      const top = pick(...measured.map((entry) => entry.value));
      best = measured.filter((entry) => entry.value === top).map((entry) => entry.trial);
    }
    return { figure: definition.figure, label: definition.label, unit: definition.unit, better: definition.better, values, best };
  });
}
