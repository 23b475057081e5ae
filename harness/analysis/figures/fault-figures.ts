import type { LbStateRecord } from '../../faults/fault-event.ts';
import type { AccumulatedTrial } from '../accumulate/trial-accumulator.ts';
import type { FaultFigures } from '../results-schema.ts';
import type { PlannedFault, TrialPlan } from '../trial-plan.ts';
import { detectionMs } from './detection.ts';
import { RECOVERY_RESOLUTION_MS, recoveryMs } from './recovery.ts';
import { errorRate, spanFigures } from './span-figures.ts';

/** Every per-fault figure of DESIGN.md for one fault of the plan. */
export function faultFigures(
  plan: TrialPlan,
  fault: PlannedFault,
  accumulated: AccumulatedTrial,
  lbStates: readonly LbStateRecord[],
): FaultFigures {
  const spans = accumulated.faultSpans[fault.position];
  if (spans === undefined) throw new Error(`no spans for fault at position ${fault.position}`);
  const { event } = fault;
  const baselineErrorRate = errorRate(spans.before.failed, spans.before.requests);
  const windowErrorRate = errorRate(spans.during.failed, spans.during.requests);
  // What the baseline rate predicts for the window's requests; no baseline requests predicts none.
  const excessErrors = spans.during.failed - (baselineErrorRate ?? 0) * spans.during.requests;
  const tally = accumulated.sessions;
  const lost = tally.lost[fault.position] ?? 0;
  const activeAfter = tally.activeAfter[fault.position] ?? 0;
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
      before: spanFigures(spans.before, plan.t0),
      during: spanFigures(spans.during, plan.t0),
      after: spanFigures(spans.after, plan.t0),
    },
    windowErrorRate,
    baselineErrorRate,
    excessErrors,
    detectionApplies: fault.detectable,
    detectionMs: detectionMs(fault, lbStates, plan.faults),
    recoveryMs: recoveryMs({
      requests: accumulated.series.requests,
      failed: accumulated.series.failed,
      faultOffsetMs: event.startedAt - plan.t0,
      windowEndOffsetMs: event.startedAt - plan.t0 + plan.faultWindowMs,
      baselineErrorRate: baselineErrorRate ?? 0,
      excessErrors,
    }),
    recoveryResolutionMs: RECOVERY_RESOLUTION_MS,
    sessions: {
      lost,
      expectedToLose: tally.expectedToLose[fault.position] ?? null,
      lostAndExpected: tally.lostAndExpected[fault.position] ?? null,
      activeAfter,
      lossRate: activeAfter > 0 ? Math.min(1, lost / activeAfter) : null,
    },
  };
}
