import type { FaultFigures, ScaleOutFigures, SpanFigures, TrialResult } from '../../analysis/index.ts';
import { faultLabel, measuredFaults } from '../../verdict/index.ts';
import { backBeforeDetected, detectedByText, excessFigure, pinnedLabel } from '../fault-text.ts';
import { formatMs, formatOffset, formatRatio } from '../format.ts';
import { html, type SafeHtml } from './safe-html.ts';
import type { ScenarioFaultInfo } from '../run-info.ts';

/** Tables with every per-fault and per-replica figure; the charts show their shape. */

const never = (text: string): SafeHtml => html`<span class="never">${text}</span>`;
const na = html`<span class="na">n/a</span>`;

function msCell(value: number | null, whenNull: string, applies = true): SafeHtml {
  if (!applies) return html`<td class="num">${na}</td>`;
  return html`<td class="num">${value === null ? never(whenNull) : formatMs(value, whenNull)}</td>`;
}

export function scenarioTimeline(faults: readonly ScenarioFaultInfo[], faultWindowMs: number | null): SafeHtml {
  if (faults.length === 0) return html`<p>No faults: the trials ran under load only.</p>`;
  const items = faults.map((fault) => {
    const count = fault.count !== null && fault.count !== 1 ? ` ×${fault.count}` : '';
    const target = fault.target === null ? '' : ` target ${fault.target}`;
    const hold = fault.forMs === null ? '' : ` for ${formatMs(fault.forMs, '')}`;
    const at = fault.at ?? (fault.atMs === null ? '?' : formatOffset(fault.atMs));
    const resolved = fault.at !== null && fault.atMs !== null ? ` (${formatOffset(fault.atMs)})` : '';
    return html`<li><strong>#${fault.index}</strong> at ${at}${resolved}: <strong>${fault.action}</strong>${count}${target}${hold}</li>`;
  });
  const window = faultWindowMs === null ? '' : html` Each fault’s window lasts ${formatMs(faultWindowMs, '')} from its start.`;
  return html`<p>The same timeline, with the same seed, ran in every trial.${window}</p><ul>${items}</ul>`;
}

/** "6 / 19 = 31.6 %" with what the count is beneath; n/a where it does not apply. */
function sessionsCells(fault: FaultFigures, withPinned: boolean): SafeHtml {
  const sessions = fault.sessions;
  if (sessions === null) return html`<td class="num">${na}</td>${withPinned ? html`<td class="num">${na}</td>` : ''}`;
  const others = sessions.lost - sessions.lostOpen;
  const open = html`<td class="num">${sessions.lostOpen} / ${sessions.openAtFault} = ${formatRatio(sessions.lossRate, 'n/a')}${
    others > 0 ? html`<br><span class="sub wrap">+${others} lost, not open at it</span>` : ''
  }</td>`;
  if (!withPinned) return open;
  const label = pinnedLabel(fault);
  const pinned =
    sessions.pinnedToTarget === null || label === undefined
      ? html`<td class="num">${na}</td>`
      : html`<td class="num">${sessions.lostPinned ?? 0} / ${sessions.pinnedToTarget} = ${formatRatio(sessions.pinnedLossRate, 'n/a')}<br><span class="sub wrap">${label}</span></td>`;
  return html`${open}${pinned}`;
}

function excessCell(fault: FaultFigures): SafeHtml {
  const { figure, below } = excessFigure(fault);
  return html`<td class="num">${figure}${below === undefined ? '' : html`<br><span class="sub wrap">${below}</span>`}</td>`;
}

function detectionCell(fault: FaultFigures): SafeHtml {
  if (!fault.detectionApplies) return html`<td class="num">${na}</td>`;
  if (fault.detectionMs === null) {
    const unseen = backBeforeDetected(fault);
    return html`<td class="num">${never(unseen ? 'never seen down' : 'not detected')}${
      unseen ? html`<br><span class="sub wrap">back before the health checks failed</span>` : ''
    }</td>`;
  }
  return html`<td class="num">${formatMs(fault.detectionMs, '')}<br><span class="sub wrap" title="${fault.detectionReason ?? ''}">${detectedByText(fault) ?? ''}</span></td>`;
}

function recoveryCell(fault: FaultFigures): SafeHtml {
  const { errorsMs, latencyMs } = fault.recovery;
  const total = fault.recoveryMs === null ? never('not recovered') : formatMs(fault.recoveryMs, '');
  const detail =
    errorsMs === 0 && latencyMs === 0
      ? ''
      : html`<br><span class="sub">errors ${formatMs(errorsMs, 'not recovered')}</span><br><span class="sub">p99 ${formatMs(latencyMs, 'not recovered')}</span>`;
  return html`<td class="num">${total}${detail}</td>`;
}

const latencyCell = (span: SpanFigures): SafeHtml =>
  span.latency.count === 0
    ? html`<td class="num">${na}</td>`
    : html`<td class="num">${[span.latency.p50Ms, span.latency.p95Ms, span.latency.p99Ms].map((value) => formatMs(value, '–').replace(' ms', '')).join(' / ')} ms</td>`;

function faultRows(trials: readonly TrialResult[]): Array<{ trial: TrialResult; fault: FaultFigures }> {
  return trials
    .flatMap((trial) => measuredFaults(trial.faults).map((fault) => ({ trial, fault })))
    .sort((a, b) => a.fault.index - b.fault.index || trials.indexOf(a.trial) - trials.indexOf(b.trial));
}

/**
 * One row per fault and architecture, the architectures of a fault next to each other. Two-line
 * cells (a figure, then what it is) keep the table within a 1280 px window; session columns appear
 * only when a trial has sessions.
 */
export function faultTable(trials: readonly TrialResult[]): SafeHtml {
  const rows = faultRows(trials);
  if (rows.length === 0) return html`<p>No fault was executed.</p>`;
  const withSessions = rows.some(({ fault }) => fault.sessions !== null);
  const withPinned = rows.some(({ fault }) => fault.sessions?.pinnedToTarget != null);
  const body = rows.map(({ trial, fault }) => {
    const outcome = fault.outcome === 'ok' ? '' : html` <span class="never">${fault.outcome}</span>`;
    const baseline = html`<br><span class="sub">baseline ${formatRatio(fault.baselineErrorRate, 'no requests')}</span>`;
    return html`<tr><td>${faultLabel(fault)}${outcome}<br><span class="sub">at ${formatOffset(fault.startMs)}</span></td><td>${trial.name}</td>
<td class="num">${formatRatio(fault.windowErrorRate, 'no requests')}${baseline}</td>${excessCell(fault)}
<td class="num">${fault.slowRequests.count}<br><span class="sub">&gt; ${formatMs(fault.slowRequests.thresholdMs, '')}</span></td>
${detectionCell(fault)}${recoveryCell(fault)}${withSessions ? sessionsCells(fault, withPinned) : ''}</tr>`;
  });
  const sessionHeads = withSessions
    ? html`<th class="num">Session loss<br>(of open at the fault)</th>${withPinned ? html`<th class="num">Pinned to the target<br>(lost / pinned)</th>` : ''}`
    : '';
  return html`<div class="scroll"><table class="faults">
<thead><tr><th>Fault</th><th>Trial</th><th class="num">Window<br>error rate</th><th class="num">Excess<br>errors</th><th class="num">Slow<br>requests</th><th class="num">Detection</th><th class="num">Recovery</th>${sessionHeads}</tr></thead>
<tbody>${body}</tbody>
</table></div>
<p class="note">Recovery: until the error rate and the p99, on 100 ms buckets from the fault’s start, are each back within the pre-fault band for 3 s, the later of the two (resolution 100 ms); beneath it, each figure’s own. Slow: requests of the window slower than 10× the baseline p99 or than 1 s. ${
    withPinned ? 'Pinned: sessions last served by a target before the fault; expected to lose only where sessions live in the replica.' : ''
  }</p>`;
}

/** p50 / p95 / p99 before, during and after each fault. */
export function latencyPhaseTable(trials: readonly TrialResult[]): SafeHtml {
  const rows = faultRows(trials);
  if (rows.length === 0) return html``;
  return html`<div class="scroll"><table>
<thead><tr><th>Fault</th><th>Trial</th><th class="num">before (10 s)</th><th class="num">during (window)</th><th class="num">after (10 s)</th></tr></thead>
<tbody>${rows.map(
    ({ trial, fault }) =>
      html`<tr><td class="nowrap">${faultLabel(fault)}</td><td>${trial.name}</td>${latencyCell(fault.phases.before)}${latencyCell(fault.phases.during)}${latencyCell(fault.phases.after)}</tr>`,
  )}</tbody>
</table></div>
<p class="note">p50 / p95 / p99 latency from HDR histograms of each phase; phases are cut to the trial, so “after” may be short or empty.</p>`;
}

export function scaleOutTable(trials: readonly TrialResult[]): SafeHtml {
  const rows = trials.flatMap((trial) => trial.scaleOut.map((replica) => ({ trial, replica })));
  if (rows.length === 0) return html`<p>No replica was added.</p>`;
  const cells = (replica: ScaleOutFigures): SafeHtml =>
    html`${msCell(replica.phases.created, '–')}${msCell(replica.phases.started, '–')}${msCell(replica.phases.ready, '–')}${msCell(replica.phases.inLb, '–')}${msCell(replica.firstRequestMs, 'no request')}${msCell(replica.fairShareMs, 'not reached')}`;
  return html`<div class="scroll"><table>
<thead><tr><th>Trial</th><th>Replica</th><th>Fault</th><th class="num">T0 (from load start)</th><th class="num">created</th><th class="num">started</th><th class="num">ready</th><th class="num">in LB</th><th class="num">first request</th><th class="num">fair share</th></tr></thead>
<tbody>${rows.map(
    ({ trial, replica }) =>
      html`<tr><td>${trial.name}</td><td>${replica.replica}</td><td>#${replica.faultIndex}</td><td class="num">${formatOffset(replica.requestedMs)}</td>${cells(replica)}</tr>${replica.phaseProblems.map(
        (problem) => html`<tr class="missing"><td colspan="10">⚠ measurement problem: ${problem}</td></tr>`,
      )}`,
  )}</tbody>
</table></div>
<p class="note">Each phase is its time − T0 (the moment the harness asked Docker for the replica). The headline figure is first request − T0. Phases must be in order (created ≤ started ≤ ready ≤ in LB ≤ first request); an inversion is a measurement problem, listed under the replica.</p>`;
}
