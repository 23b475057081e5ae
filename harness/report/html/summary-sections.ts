import type { ComparisonEntry, TrialResult } from '../../analysis/index.ts';
import type { ThresholdCheck, Verdict } from '../../verdict/index.ts';
import { checkActual, failedFirst, formatComparisonValue, inflatedByLoadGenerator, saturationText, thresholdTitle } from '../format.ts';
import { html, type SafeHtml } from './safe-html.ts';
import { architectureColour } from './palette.ts';

/** The top of the report: the verdict badge, the headline table and the threshold checks. */

export function verdictBadge(verdict: Verdict): SafeHtml {
  if (verdict.status === 'not-measured') return html`<span class="badge failed">✘ Not measured: ${verdict.problems.length} trial(s)</span>`;
  if (verdict.status === 'no-thresholds') return html`<span class="badge none">No thresholds set</span>`;
  if (verdict.passed) return html`<span class="badge passed">✔ Passed: ${verdict.counts.checks} thresholds</span>`;
  return html`<span class="badge failed">✘ Failed: ${verdict.counts.failed} of ${verdict.counts.checks} thresholds</span>`;
}

/** The trials that did not measure what they claim, above everything else: their figures are not a result. */
export function measurementProblems(verdict: Verdict): SafeHtml {
  if (verdict.problems.length === 0) return html``;
  return html`<section id="not-measured" class="problems"><h2>Not measured</h2>
<ul>${verdict.problems.map((problem) => html`<li><strong>${problem.trial}</strong> ${problem.status}: ${problem.reason}</li>`)}</ul>
<p>These trials did not measure what they claim. Their figures below, if any, cover only what was recorded before they stopped; they are not a result, and the gate fails.</p>
</section>`;
}

/** Trials whose load generator was saturated: a caveat on their latency figures, not a failure. */
export function loadGeneratorCaveats(trials: readonly TrialResult[]): SafeHtml {
  const caveats = trials.flatMap((trial) => {
    const text = saturationText(trial);
    return text === undefined ? [] : [html`<li><strong>${trial.name}</strong>: ${text}.</li>`];
  });
  if (caveats.length === 0) return html``;
  return html`<section id="load-generator" class="caveats"><h2>Load generator</h2>
<ul>${caveats}</ul>
<p>Latencies marked ⚠ include time the load generator spent queueing its own work; compare them with care. Fewer VUs, a lighter script or k6 on another machine avoid it.</p>
</section>`;
}

export function swatch(architecture: string, index: number): SafeHtml {
  return html`<span class="swatch" style="background:${architectureColour(architecture, index)}"></span>`;
}

export function headlineTable(comparison: readonly ComparisonEntry[], trialNames: readonly string[], saturated: ReadonlySet<string> = new Set()): SafeHtml {
  if (trialNames.length === 0) return html`<p>No trial has figures.</p>`;
  const many = trialNames.length > 1;
  const caveat = html`<span class="caveat" title="the load generator was saturated: this latency may be inflated by it">⚠</span>`;
  const direction = comparison.every((entry) => entry.better === 'lower') ? ' (lower is better)' : '';
  const rows = comparison.map((entry) => {
    const cells = trialNames.map((name) => {
      const value = entry.values.find((candidate) => candidate.trial === name);
      const text = formatComparisonValue(entry, value);
      const best = many && entry.best.includes(name);
      const cls = best ? 'num best' : value?.status === 'never' ? 'num never' : value?.status === 'value' ? 'num' : 'num na';
      return html`<td class="${cls}">${text}${inflatedByLoadGenerator(entry, name, saturated) ? caveat : ''}${best ? html`<span class="better">better</span>` : ''}</td>`;
    });
    return html`<tr><th scope="row">${entry.label}</th>${cells}</tr>`;
  });
  return html`<table class="headline">
<thead><tr><th>Figure${direction}</th>${trialNames.map((name, index) => html`<th class="num">${swatch(name, index)} ${name}</th>`)}</tr></thead>
<tbody>${rows}</tbody>
</table>
<p class="note">“better” marks the best value of each row (ties mark several). “not recovered”, “not detected”, “not reached” rank worst; n/a: nothing to measure in that trial.</p>`;
}

function checkRow(check: ThresholdCheck): SafeHtml {
  const cls = check.ok ? '' : check.status === 'missing' ? 'missing' : 'fail';
  const result = check.ok ? '✔ pass' : check.status === 'missing' ? '✘ fail (not measured)' : '✘ fail';
  return html`<tr class="${cls}"><td class="result">${result}</td><td>${check.trial}</td><td>${thresholdTitle(check)}</td><td class="num">${checkActual(check)}</td><td>${check.detail}</td><td>${check.source}</td></tr>`;
}

export function verdictSection(verdict: Verdict): SafeHtml {
  if (verdict.checks.length === 0 && verdict.status === 'not-measured') {
    return html`<p>No thresholds were set. The gate fails all the same: a trial did not measure what it claims (see above).</p>`;
  }
  if (verdict.checks.length === 0) {
    return html`<p>No thresholds were set, so the gate passes on a completed run. Set them in the scenario (<code>thresholds:</code>) or on the command line, e.g. <code>--max-error-rate stateless=0.01 --max-session-loss stateless=0</code>.</p>`;
  }
  return html`<table>
<thead><tr><th>Result</th><th>Trial</th><th>Threshold</th><th class="num">Actual</th><th>Detail</th><th>From</th></tr></thead>
<tbody>${failedFirst(verdict.checks).map(checkRow)}</tbody>
</table>
<p class="note">trial: the whole-trial figure; fault-windows: the worst fault window. A figure that could not be measured fails. Command-line thresholds replace the scenario’s for the same trial, metric and scope.</p>`;
}
