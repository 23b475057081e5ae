import type { FaultFigures, Results, TrialResult } from '../../analysis/index.ts';
import { faultLabel, measuredFaults } from '../../verdict/index.ts';

/** Units of compared figures: the threshold units plus throughput. */
export type CompareUnit = 'ratio' | 'ms' | 'count' | 'per-second';

export type FigureStatus = 'value' | 'never' | 'not-applicable' | 'missing';
export interface MeasuredFigure {
  value: number | null;
  /** never: the event did not happen (not recovered…) and ranks worst; missing: no such trial or fault. */
  status: FigureStatus;
}

export type DeltaVerdict = 'regressed' | 'improved' | 'unchanged' | 'not-comparable';

export interface FigureDelta {
  trial: string;
  /** "trial", or the fault ("fault #0 kill app-2", as run A named it). */
  subject: string;
  figure: string;
  label: string;
  unit: CompareUnit;
  better: 'lower' | 'higher';
  a: MeasuredFigure;
  b: MeasuredFigure;
  /** b − a, when both are values. */
  delta: number | null;
  /** (b − a) / |a|, when both are values and a ≠ 0. */
  relative: number | null;
  verdict: DeltaVerdict;
}

export interface RunComparison {
  a: { runId: string; label: string };
  b: { runId: string; label: string };
  tolerance: number;
  deltas: FigureDelta[];
  counts: Record<DeltaVerdict, number>;
  /** Trials or faults that exist on one side only, or differ: compared as far as they match. */
  notes: string[];
}

export interface CompareOptions {
  /** Relative change allowed before a figure counts as changed: 0.1 = 10 %. */
  tolerance: number;
  /** How the runs are called in tables (their directories); default the run ids. */
  labels?: { a: string; b: string };
}

/**
 * The smallest change that can count, per unit: a change must exceed tolerance × max(|A|, floor),
 * so a figure that was 0 (no errors, instant recovery) can still regress, but not by noise: 1
 * percentage point for rates, 10 ms for times, 1 for counts and req/s, each times the tolerance.
 */
export const FLOORS: Readonly<Record<CompareUnit, number>> = { ratio: 0.01, ms: 10, count: 1, 'per-second': 1 };

const value = (number: number | null, whenNull: FigureStatus = 'not-applicable'): MeasuredFigure =>
  number === null ? { value: null, status: whenNull } : { value: number, status: 'value' };
const MISSING: MeasuredFigure = { value: null, status: 'missing' };

/** Whether B is worse, better or the same as A, for a figure where `better` is lower or higher. */
export function judge(a: MeasuredFigure, b: MeasuredFigure, unit: CompareUnit, better: 'lower' | 'higher', tolerance: number): DeltaVerdict {
  if (a.status === 'value' && b.status === 'value' && a.value !== null && b.value !== null) {
    const worse = better === 'lower' ? b.value - a.value : a.value - b.value;
    const margin = tolerance * Math.max(Math.abs(a.value), FLOORS[unit]);
    if (worse > margin) return 'regressed';
    if (-worse > margin) return 'improved';
    return 'unchanged';
  }
  // "never" (not recovered, not detected, fair share not reached) ranks below every value.
  if (a.status === 'value' && b.status === 'never') return 'regressed';
  if (a.status === 'never' && b.status === 'value') return 'improved';
  if (a.status === 'never' && b.status === 'never') return 'unchanged';
  return 'not-comparable';
}

interface FigureSpec<T> {
  figure: string;
  label: string;
  unit: CompareUnit;
  better: 'lower' | 'higher';
  measure: (subject: T) => MeasuredFigure;
}

const FAULT_FIGURES: ReadonlyArray<FigureSpec<FaultFigures>> = [
  { figure: 'windowErrorRate', label: 'window error rate', unit: 'ratio', better: 'lower', measure: (f) => value(f.windowErrorRate) },
  { figure: 'excessErrors', label: 'excess errors', unit: 'count', better: 'lower', measure: (f) => value(f.excessErrors) },
  { figure: 'slowRequests', label: 'slow requests', unit: 'count', better: 'lower', measure: (f) => value(f.slowRequests.count) },
  { figure: 'detectionMs', label: 'detection time', unit: 'ms', better: 'lower', measure: (f) => (f.detectionApplies ? value(f.detectionMs, 'never') : value(null)) },
  { figure: 'recoveryMs', label: 'recovery time', unit: 'ms', better: 'lower', measure: (f) => value(f.recoveryMs, 'never') },
  { figure: 'sessionsLost', label: 'sessions lost', unit: 'count', better: 'lower', measure: (f) => value(f.sessions?.lost ?? null) },
  { figure: 'sessionLossRate', label: 'session loss rate (open at the fault)', unit: 'ratio', better: 'lower', measure: (f) => value(f.sessions?.lossRate ?? null) },
  {
    figure: 'pinnedSessionLossRate',
    label: 'session loss rate (pinned to the target)',
    unit: 'ratio',
    better: 'lower',
    measure: (f) => value(f.sessions?.pinnedLossRate ?? null),
  },
  { figure: 'p95DuringMs', label: 'p95 latency in the window', unit: 'ms', better: 'lower', measure: (f) => value(f.phases.during.latency.p95Ms) },
];

const throughput = (trial: TrialResult): MeasuredFigure =>
  trial.durationMs > 0 ? value(trial.totals.requests / (trial.durationMs / 1000)) : value(null);

/**
 * Run A (the baseline) against run B, trial by trial (matched by name) and figure by
 * figure: the headline figures of results.json's comparison, throughput, and each fault's figures
 * (matched by position in the timeline, when both runs did the same action there).
 */
export function compareResults(a: Results, b: Results, options: CompareOptions): RunComparison {
  const deltas: FigureDelta[] = [];
  const notes: string[] = [];
  const push = (trial: string, subject: string, spec: Omit<FigureSpec<unknown>, 'measure'>, left: MeasuredFigure, right: MeasuredFigure): void => {
    const delta = left.status === 'value' && right.status === 'value' && left.value !== null && right.value !== null ? right.value - left.value : null;
    deltas.push({
      trial,
      subject,
      figure: spec.figure,
      label: spec.label,
      unit: spec.unit,
      better: spec.better,
      a: left,
      b: right,
      delta,
      relative: delta !== null && left.value !== null && left.value !== 0 ? delta / Math.abs(left.value) : null,
      verdict: judge(left, right, spec.unit, spec.better, options.tolerance),
    });
  };

  const trialsB = new Map(b.trials.map((trial) => [trial.name, trial]));
  for (const trialB of b.trials) {
    if (!a.trials.some((trial) => trial.name === trialB.name)) notes.push(`${trialB.name}: only in B, not compared`);
  }
  for (const trialA of a.trials) {
    const trial = trialA.name;
    const trialB = trialsB.get(trial);
    if (trialB === undefined) {
      notes.push(`${trial}: only in A, not compared`);
      continue;
    }
    for (const entryA of a.comparison) {
      const entryB = b.comparison.find((entry) => entry.figure === entryA.figure);
      const pick = (entry: typeof entryA | undefined): MeasuredFigure => {
        const found = entry?.values.find((candidate) => candidate.trial === trial);
        return found === undefined ? MISSING : { value: found.value, status: found.status };
      };
      push(trial, 'trial', { figure: entryA.figure, label: entryA.label, unit: entryA.unit, better: entryA.better }, pick(entryA), pick(entryB));
    }
    push(trial, 'trial', { figure: 'throughput', label: 'Throughput (requests per second)', unit: 'per-second', better: 'higher' }, throughput(trialA), throughput(trialB));

    const faultsB = new Map(measuredFaults(trialB.faults).map((fault) => [fault.index, fault]));
    for (const faultA of measuredFaults(trialA.faults)) {
      const faultB = faultsB.get(faultA.index);
      if (faultB === undefined || faultB.action !== faultA.action) {
        notes.push(`${trial} ${faultLabel(faultA)}: ${faultB === undefined ? 'not in B' : `B did ${faultB.action} there`}, not compared`);
        continue;
      }
      for (const spec of FAULT_FIGURES) push(trial, faultLabel(faultA), spec, spec.measure(faultA), spec.measure(faultB));
    }
  }

  const counts: Record<DeltaVerdict, number> = { regressed: 0, improved: 0, unchanged: 0, 'not-comparable': 0 };
  for (const delta of deltas) counts[delta.verdict] += 1;
  return {
    a: { runId: a.meta.runId, label: options.labels?.a ?? a.meta.runId },
    b: { runId: b.meta.runId, label: options.labels?.b ?? b.meta.runId },
    tolerance: options.tolerance,
    deltas,
    counts,
    notes,
  };
}
