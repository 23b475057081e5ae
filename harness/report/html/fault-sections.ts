import type { FaultFigures, ScaleOutFigures, SpanFigures, TrialResult } from '../../analysis/index.ts';
import { faultLabel, measuredFaults } from '../../verdict/index.ts';
import { formatMs, formatOffset, formatRatio } from '../format.ts';
import { html, type SafeHtml } from '../html.ts';
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

function sessionsCell(fault: FaultFigures): SafeHtml {
  const { lost, expectedToLose, lostAndExpected, activeAfter } = fault.sessions;
  const expected = expectedToLose === null ? '' : html` <span class="note">(expected ${expectedToLose}, both ${lostAndExpected ?? 0})</span>`;
  return html`<td class="num">${lost}${expected}</td><td class="num">${activeAfter}</td>`;
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

/** One row per fault and architecture, the architectures of a fault next to each other. */
export function faultTable(trials: readonly TrialResult[]): SafeHtml {
  const rows = faultRows(trials);
  if (rows.length === 0) return html`<p>No fault was executed.</p>`;
  const body = rows.map(({ trial, fault }) => {
    const outcome = fault.outcome === 'ok' ? 'ok' : html`<span class="never">${fault.outcome}</span>`;
    return html`<tr><td class="nowrap">${faultLabel(fault)}</td><td>${trial.name}</td><td class="num">${formatOffset(fault.startMs)}</td><td>${outcome}</td>
<td class="num">${formatRatio(fault.windowErrorRate, 'no requests')}</td><td class="num">${formatRatio(fault.baselineErrorRate, 'no requests')}</td><td class="num">${excess(fault.excessErrors)}</td>
${msCell(fault.detectionMs, 'not detected', fault.detectionApplies)}${msCell(fault.recoveryMs, 'not recovered')}
${sessionsCell(fault)}<td class="num">${formatRatio(fault.sessions.lossRate, 'n/a')}</td></tr>`;
  });
  return html`<div class="scroll"><table>
<thead><tr><th>Fault</th><th>Trial</th><th class="num">Start</th><th>Outcome</th><th class="num">Window error rate</th><th class="num">Baseline</th><th class="num">Excess errors</th><th class="num">Detection</th><th class="num">Recovery</th>
<th class="num">Sessions lost</th><th class="num">Active after</th><th class="num">Loss rate</th></tr></thead>
<tbody>${body}</tbody>
</table></div>
<p class="note">Recovery is found on 1 s buckets (resolution 1 s). Expected to lose: sessions whose last replica before the fault is one of its targets; both: lost and expected.</p>`;
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

const excess = (value: number): string => (value > 0 ? `+${Number(value.toFixed(1))}` : String(Number(value.toFixed(1))));

export function scaleOutTable(trials: readonly TrialResult[]): SafeHtml {
  const rows = trials.flatMap((trial) => trial.scaleOut.map((replica) => ({ trial, replica })));
  if (rows.length === 0) return html`<p>No replica was added.</p>`;
  const cells = (replica: ScaleOutFigures): SafeHtml =>
    html`${msCell(replica.phases.created, '–')}${msCell(replica.phases.started, '–')}${msCell(replica.phases.ready, '–')}${msCell(replica.phases.inLb, '–')}${msCell(replica.firstRequestMs, 'no request')}${msCell(replica.fairShareMs, 'not reached')}`;
  return html`<div class="scroll"><table>
<thead><tr><th>Trial</th><th>Replica</th><th>Fault</th><th class="num">T0 (from load start)</th><th class="num">created</th><th class="num">started</th><th class="num">ready</th><th class="num">in LB</th><th class="num">first request</th><th class="num">fair share</th></tr></thead>
<tbody>${rows.map(({ trial, replica }) => html`<tr><td>${trial.name}</td><td>${replica.replica}</td><td>#${replica.faultIndex}</td><td class="num">${formatOffset(replica.requestedMs)}</td>${cells(replica)}</tr>`)}</tbody>
</table></div>
<p class="note">Each phase is its time − T0 (the moment the harness asked Docker for the replica). The headline figure is first request − T0.</p>`;
}
