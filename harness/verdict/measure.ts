import type { FaultFigures, TrialResult } from '../analysis/index.ts';
import type { ThresholdMetric } from '../scenario/schema.ts';
import { faultLabel, measuredFaults } from './fault-label.ts';
import { METRICS } from './metrics.ts';
import type { ThresholdScope } from './types.ts';
import { formatFigure } from './units.ts';

/** A figure a threshold is compared with, and where it came from; value null: nothing to compare. */
export interface Measurement {
  value: number | null;
  detail: string;
}

const missing = (detail: string): Measurement => ({ value: null, detail });

interface Candidate {
  value: number | null;
  /** Where the value was measured ("fault #0 kill app-2", "app-4"). */
  where: string;
  /** Why value is null, in words. */
  whyNull: string;
}

/**
 * The worst of several per-fault (or per-replica) figures. One that never happened (not recovered,
 * not detected, no request) makes the whole figure missing: a threshold must never pass over it.
 */
function worst(metric: ThresholdMetric, candidates: readonly Candidate[], none: string): Measurement {
  const measured: Array<{ value: number; where: string }> = [];
  for (const candidate of candidates) {
    if (candidate.value === null) return missing(`${candidate.where}: ${candidate.whyNull}`);
    measured.push({ value: candidate.value, where: candidate.where });
  }
  const [first, ...rest] = measured;
  if (first === undefined) return missing(none);
  const top = rest.reduce((best, entry) => (entry.value > best.value ? entry : best), first);
  const of = measured.length > 1 ? ` (worst of ${measured.length})` : '';
  return { value: top.value, detail: `${formatFigure(METRICS[metric].unit, top.value)} at ${top.where}${of}` };
}

const NO_FAULT = 'no fault in this trial to measure it on';
const NO_SESSIONS = 'the workload has no sessions';

function perFault(
  trial: TrialResult,
  metric: ThresholdMetric,
  pick: (fault: FaultFigures) => number | null,
  whyNull: string | ((fault: FaultFigures) => string),
  faults: readonly FaultFigures[] = measuredFaults(trial.faults),
  none = NO_FAULT,
): Measurement {
  return worst(
    metric,
    faults.map((fault) => ({ value: pick(fault), where: faultLabel(fault), whyNull: typeof whyNull === 'string' ? whyNull : whyNull(fault) })),
    none,
  );
}

/**
 * The figure of one trial that a threshold on `metric` over `scope` is compared with. "trial" is the
 * whole-trial figure where one exists; "fault-windows" the worst fault window. Recovery, detection
 * and scale-out exist only per fault or per added replica: both scopes take the worst.
 */
export function measure(trial: TrialResult, metric: ThresholdMetric, scope: ThresholdScope): Measurement {
  const { totals } = trial;
  const unit = METRICS[metric].unit;
  const whole = (value: number | null, what: string, none: string): Measurement =>
    value === null ? missing(none) : { value, detail: `${formatFigure(unit, value)} ${what}` };

  switch (metric) {
    case 'error_rate':
      if (scope === 'trial') {
        return whole(totals.errorRate, `(${totals.failed} of ${totals.requests} requests failed)`, 'no requests in the trial');
      }
      return perFault(trial, metric, (fault) => fault.windowErrorRate, 'no requests in its window');
    case 'p95_ms':
    case 'p99_ms': {
      const key = metric === 'p95_ms' ? 'p95Ms' : 'p99Ms';
      if (scope === 'trial') return whole(totals.latency[key], `over ${totals.latency.count} requests`, 'no latency samples in the trial');
      return perFault(trial, metric, (fault) => fault.phases.during.latency[key], 'no latency samples in its window');
    }
    case 'sessions_lost':
      if (scope === 'trial') return whole(totals.sessionsLost, `of ${totals.sessionsSeen} sessions seen`, 'no sessions');
      // A workload without sessions lost none: the same answer as before faults had no session figures.
      return perFault(trial, metric, (fault) => fault.sessions?.lost ?? 0, 'not measured');
    case 'session_loss_rate':
      if (scope === 'trial') {
        const rate = totals.sessionsSeen === 0 ? null : totals.sessionsLost / totals.sessionsSeen;
        return whole(rate, `(${totals.sessionsLost} of ${totals.sessionsSeen} sessions lost)`, 'no session was seen in the trial');
      }
      return perFault(
        trial,
        metric,
        (fault) => fault.sessions?.lossRate ?? null,
        (fault) => (fault.sessions === null ? NO_SESSIONS : 'no session was open at the fault'),
      );
    case 'recovery_ms':
      return perFault(trial, metric, (fault) => fault.recoveryMs, 'not recovered by the end of the trial');
    case 'detection_ms':
      return perFault(
        trial,
        metric,
        (fault) => fault.detectionMs,
        (fault) => `the load balancer never marked ${fault.targets.length > 0 ? fault.targets.join(', ') : 'the replica'} down`,
        measuredFaults(trial.faults).filter((fault) => fault.detectionApplies),
        'no fault in this trial takes a replica away, so there is nothing to detect',
      );
    case 'scale_out_ms':
      return worst(
        metric,
        trial.scaleOut.map((replica) => ({
          value: replica.firstRequestMs,
          where: `${replica.replica} (fault #${replica.faultIndex})`,
          whyNull: 'never served a request',
        })),
        'no replica was added in this trial',
      );
  }
}
