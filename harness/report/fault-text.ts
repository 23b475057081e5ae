import type { FaultFigures } from '../analysis/index.ts';
import { FAULT_TRAITS } from '../core/fault-actions.ts';
import { DETECTION_CAUSE_WORDS } from '../analysis/figures/detection-cause.ts';
import { formatFigure } from '../verdict/index.ts';
import { formatMs, formatRatio } from './format.ts';

/**
 * The words for one fault's figures, shared by summary.md and report.html (plain text: each renderer
 * escapes it). Only figures that apply are worded: a workload without sessions gets no session text.
 */

const count = (value: number): string => formatFigure('count', Number(value.toFixed(1)));

/** Excess errors as a figure ("+6", "0"), and "below baseline: 2 errors, 3.1 predicted" when there were fewer than predicted. */
export function excessFigure(fault: Pick<FaultFigures, 'excessErrors' | 'predictedErrors' | 'phases'>): { figure: string; below: string | undefined } {
  const errors = fault.phases.during.failed;
  const below = errors < fault.predictedErrors ? `below baseline: ${count(errors)} error${errors === 1 ? '' : 's'}, ${count(fault.predictedErrors)} predicted` : undefined;
  return { figure: fault.excessErrors > 0 ? `+${count(fault.excessErrors)}` : '0', below };
}

/** "+6 excess", "0 excess", or "below baseline: 2 errors, 3.1 predicted": an excess is never negative. */
export function excessText(fault: Pick<FaultFigures, 'excessErrors' | 'predictedErrors' | 'phases'>): string {
  const { figure, below } = excessFigure(fault);
  return below ?? `${figure} excess`;
}

/** "3 slow requests (over 110 ms)" */
export function slowText(fault: Pick<FaultFigures, 'slowRequests'>): string {
  const { count: slow, thresholdMs } = fault.slowRequests;
  return `${count(slow)} slow request${slow === 1 ? '' : 's'} (over ${formatMs(thresholdMs, '')})`;
}

/** What detected the fault, in words: "DNS: the address left Docker's DNS". */
export function detectedByText(fault: Pick<FaultFigures, 'detectedBy'>): string | undefined {
  return fault.detectedBy === null ? undefined : DETECTION_CAUSE_WORDS[fault.detectedBy];
}

/**
 * Whether a fault whose target comes back by itself (a restart) went undetected because it was back
 * before the health checks failed: a finding, not a missing figure.
 */
export function backBeforeDetected(fault: Pick<FaultFigures, 'action' | 'detectionApplies' | 'detectionMs'>): boolean {
  return fault.detectionApplies && fault.detectionMs === null && FAULT_TRAITS[fault.action].liveness === 'out-until-ready';
}

/** Detection in words, undefined where it does not apply; a restart the health checks never saw is said so. */
export function detectionText(fault: Pick<FaultFigures, 'action' | 'detectionApplies' | 'detectionMs' | 'detectedBy'>): string | undefined {
  if (!fault.detectionApplies) return undefined;
  if (fault.detectionMs === null) {
    return backBeforeDetected(fault) ? 'never seen down: the replica was back before the health checks failed' : 'not detected';
  }
  return `detected ${formatMs(fault.detectionMs, '')} by ${detectedByText(fault) ?? 'an unknown cause'}`;
}

/** "1,200 ms (errors 1,100 ms, p99 1,200 ms)": recovery, and each figure's own, the later holding it back. */
export function recoveryText(fault: Pick<FaultFigures, 'recoveryMs' | 'recovery'>): string {
  const total = formatMs(fault.recoveryMs, 'not recovered');
  const { errorsMs, latencyMs } = fault.recovery;
  if (errorsMs === 0 && latencyMs === 0) return total;
  return `${total} (errors ${formatMs(errorsMs, 'not recovered')}, p99 ${formatMs(latencyMs, 'not recovered')})`;
}

/** "6 of 19 open at the fault = 31.6 %"; undefined for a workload without sessions. */
export function sessionLossText(fault: Pick<FaultFigures, 'sessions'>): string | undefined {
  const sessions = fault.sessions;
  if (sessions === null) return undefined;
  const others = sessions.lost - sessions.lostOpen;
  const more = others > 0 ? ` (+${others} not open at it)` : '';
  return `${sessions.lostOpen} of ${sessions.openAtFault} open at the fault = ${formatRatio(sessions.lossRate, 'n/a')}${more}`;
}

/** What the pinned count means here: "pinned to app-2 (expected to lose)" or "last served by app-1". */
export function pinnedLabel(fault: Pick<FaultFigures, 'sessions' | 'targets'>): string | undefined {
  const meaning = fault.sessions?.pinnedMeaning ?? null;
  if (meaning === null) return undefined;
  const targets = fault.targets.join(', ');
  return meaning === 'expected-to-lose' ? `pinned to ${targets} (expected to lose)` : `last served by ${targets}`;
}

/** "6 pinned to app-2 (expected to lose), 6 lost = 100 %"; undefined where no replica was taken away. */
export function pinnedText(fault: Pick<FaultFigures, 'sessions' | 'targets'>): string | undefined {
  const sessions = fault.sessions;
  const label = pinnedLabel(fault);
  if (sessions === null || label === undefined || sessions.pinnedToTarget === null) return undefined;
  return `${sessions.pinnedToTarget} ${label}, ${sessions.lostPinned ?? 0} lost = ${formatRatio(sessions.pinnedLossRate, 'n/a')}`;
}
