import type { LbStateRecord } from '../../core/run-files/index.ts';
import type { AccumulatedTrial } from '../accumulate/trial-accumulator.ts';
import type { FaultFigures } from '../results-schema.ts';
import type { PlannedFault, TrialPlan } from '../trial-plan.ts';
import { detection } from './detection.ts';
import { RECOVERY_RESOLUTION_MS, recovery } from './recovery.ts';
import { faultSessions } from './session-figures.ts';
import { slowRequests } from './slow-requests.ts';
import { errorRate, spanFigures } from './span-figures.ts';

/**
 * Every per-fault figure of the glossary for one fault of the plan. `withSessions` is false for a
 * workload without sessions: its faults have no session figures at all, not zeros.
 */
export function faultFigures(
  plan: TrialPlan,
  fault: PlannedFault,
  accumulated: AccumulatedTrial,
  lbStates: readonly LbStateRecord[],
  withSessions: boolean,
): FaultFigures {
  const spans = accumulated.faultSpans[fault.position];
  const series = accumulated.faultSeries[fault.position];
  if (spans === undefined || series === undefined) throw new Error(`no spans for fault at position ${fault.position}`);
  const { event } = fault;
  const baselineErrorRate = errorRate(spans.before.failed, spans.before.requests);
  const windowErrorRate = errorRate(spans.during.failed, spans.during.requests);
  // What the baseline rate predicts for the window's requests; no baseline requests predicts none.
  const predictedErrors = (baselineErrorRate ?? 0) * spans.during.requests;
  const before = spanFigures(spans.before, plan.t0);
  const recovered = recovery({ buckets: series, windowMs: plan.faultWindowMs, baselineErrorRate });
  const detected = detection(fault, lbStates, plan.faults);
  return {
    index: event.index,
    action: event.action,
    selector: event.selector,
    targets: event.targets,
    outcome: event.outcome,
    revert: event.revert === true,
    startMs: event.startedAt - plan.t0,
    endMs: event.endedAt - plan.t0,
    startedAt: event.startedAt,
    phases: {
      before,
      during: spanFigures(spans.during, plan.t0),
      after: spanFigures(spans.after, plan.t0),
    },
    windowErrorRate,
    baselineErrorRate,
    predictedErrors,
    // Fewer errors than the baseline predicts is "below baseline", never a negative count.
    excessErrors: Math.max(0, spans.during.failed - predictedErrors),
    slowRequests: slowRequests(series.windowLatencies, series.windowTimes, plan.t0, before.latency.p99Ms),
    detectionApplies: fault.detectable,
    detectionMs: detected?.ms ?? null,
    detectedBy: detected?.cause ?? null,
    detectionReason: detected?.reason ?? null,
    recoveryMs: recovered.ms,
    recoveryResolutionMs: RECOVERY_RESOLUTION_MS,
    recovery: { errorsMs: recovered.errorsMs, latencyMs: recovered.latencyMs, band: recovered.band },
    sessions: withSessions ? faultSessions(plan, fault, accumulated.sessions) : null,
  };
}
