import type { TrialResult } from '../../analysis/index.ts';
import { hasSessions } from '../../analysis/figures/session-figures.ts';
import { formatTimestamp, saturatedTrials } from '../format.ts';
import { html, trustedHtml, type SafeHtml } from './safe-html.ts';
import type { ReportInput, ReportRenderer } from '../renderer.ts';
import { chartRenderer, type ChartOption, type RenderChart } from './charts.ts';
import { perFaultTimeChart, scaleOutChart, sessionLossChart } from './fault-charts.ts';
import { faultTable, latencyPhaseTable, scaleOutTable, scenarioTimeline } from './fault-sections.ts';
import { glossarySection, runMetadata, trialFacts } from './meta-sections.ts';
import { bankTable, replayChart, replayTable } from './recovery-charts.ts';
import { replicaColours } from './palette.ts';
import { logBounds, niceCeil } from './scale.ts';
import { STYLES } from './styles.ts';
import { headlineTable, loadGeneratorCaveats, measurementProblems, swatch, verdictBadge, verdictSection } from './summary-sections.ts';
import { latencyChart, replicaShareChart, throughputChart, type SharedScales } from './time-charts.ts';

/**
 * report.html: one file that opens offline. Charts are SVG rendered here (no script in the page),
 * styles are inline, and a Content-Security-Policy forbids every fetch, so even a mistake cannot
 * make the page reach the network. Every interpolated string goes through the `html` template.
 */
const CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:; base-uri 'none'; form-action 'none'";

function sharedScales(trials: readonly TrialResult[]): SharedScales {
  const seconds = trials.flatMap((trial) => trial.seconds);
  const latencies = seconds.flatMap((second) => [second.latency.p50Ms, second.latency.p95Ms, second.latency.p99Ms]).filter((v): v is number => v !== null && v > 0);
  return {
    maxSeconds: Math.max(1, ...trials.map((trial) => Math.ceil(trial.durationMs / 1000))),
    maxReqPerSec: niceCeil(Math.max(0, ...seconds.map((second) => second.reqPerSec)), 1),
    maxErrorPercent: niceCeil(Math.max(0, ...seconds.map((second) => (second.errorRate ?? 0) * 100)), 1),
    latency: latencies.length === 0 ? { min: 1, max: 1000 } : logBounds(Math.min(...latencies), Math.max(...latencies)),
  };
}

/** Side-by-side panels, one per trial, each drawn to the same scales. */
function panels(trials: readonly TrialResult[], chart: (trial: TrialResult) => SafeHtml): SafeHtml {
  return html`<div class="panels" style="grid-template-columns: repeat(${trials.length}, minmax(0, 1fr))">${trials.map(
    (trial, index) => html`<div class="panel"><h4>${swatch(trial.name, index)}${trial.name}</h4><div class="chart">${chart(trial)}</div></div>`,
  )}</div>`;
}

function panelWidth(count: number): number {
  return count <= 1 ? 1300 : count === 2 ? 680 : 460;
}

function timeSection(trials: readonly TrialResult[], render: RenderChart): SafeHtml {
  const scales = sharedScales(trials);
  const size = { width: panelWidth(trials.length), height: 260 };
  const colours = replicaColours(trials.flatMap((trial) => trial.seconds.flatMap((second) => Object.keys(second.shareByReplica))));
  const panel = (title: string, build: (trial: TrialResult) => ChartOption) =>
    panels(trials, (trial) => render(build(trial), size, `${title}: ${trial.name}`));
  return html`<p class="note">Shaded bands are fault windows (from the fault’s start to the end of its window), labelled with the fault; the dashed line is its start. Red: a fault that takes capacity away; blue: scale-out. Panels of one row share their scales.</p>
<h3>Throughput and error rate per second</h3>
${panel('Throughput and error rate per second', (trial) => throughputChart(trial, scales))}
<h3>Latency percentiles per second (p50, p95, p99)</h3>
${panel('Latency percentiles per second', (trial) => latencyChart(trial, scales))}
<h3>Share of requests per replica</h3>
${panel('Share of requests per replica', (trial) => replicaShareChart(trial, scales, colours))}`;
}

function faultChartsSection(trials: readonly TrialResult[], render: RenderChart): SafeHtml {
  const loss = sessionLossChart(trials);
  const recovery = perFaultTimeChart(trials, 'recovery');
  const detection = perFaultTimeChart(trials, 'detection');
  // Three charts side by side while the session chart has few bars; a wide one of its own otherwise.
  const wide = loss !== undefined && loss.categories > 6;
  const size = { width: wide ? 680 : 460, height: 290 };
  const panel = (title: string, chart: SafeHtml) => html`<div class="panel"><h4>${title}</h4><div class="chart">${chart}</div></div>`;
  const lossPanel = panel(
    'Sessions: open at the fault, pinned to the target, lost',
    loss === undefined ? html`<p>No fault could cost sessions.</p>` : render(loss.option, wide ? { width: 1380, height: 300 } : size, 'Session loss per fault'),
  );
  const detectionPanel = panel(
    'Detection time (the LB marks the replica down)',
    detection === undefined ? html`<p>No fault takes a replica away.</p>` : render(detection, size, 'Detection time per fault'),
  );
  const recoveryPanel = panel(
    'Recovery time (errors and p99 back in the pre-fault band)',
    recovery === undefined ? html`<p>No fault.</p>` : render(recovery, size, 'Recovery time per fault'),
  );
  // A workload without sessions has no session panel at all: only figures that apply.
  if (!trials.some((trial) => hasSessions(trial.totals))) {
    return html`<div class="panels" style="grid-template-columns: repeat(2, minmax(0, 1fr))">${detectionPanel}${recoveryPanel}</div>`;
  }
  if (wide) {
    return html`${lossPanel}<div class="panels" style="grid-template-columns: repeat(2, minmax(0, 1fr)); margin-top: 16px">${detectionPanel}${recoveryPanel}</div>`;
  }
  return html`<div class="panels" style="grid-template-columns: repeat(3, minmax(0, 1fr))">${lossPanel}${detectionPanel}${recoveryPanel}</div>`;
}

function scaleOutSection(trials: readonly TrialResult[], render: RenderChart): SafeHtml {
  const chart = scaleOutChart(trials);
  return html`${chart === undefined ? '' : html`<div class="chart">${render(chart.option, { width: 1380, height: 90 + 34 * chart.rows }, 'Scale-out phases per added replica')}</div>`}
${scaleOutTable(trials)}`;
}

function replaySection(trials: readonly TrialResult[], render: RenderChart): SafeHtml {
  const chart = replayChart(trials);
  return html`${chart === undefined ? '' : html`<div class="chart">${render(chart, { width: 1380, height: 320 }, 'Replay time and time to ready against events since the last snapshot')}</div>`}
${replayTable(trials)}`;
}

export async function renderHtml(input: ReportInput): Promise<string> {
  const render = await chartRenderer();
  const { results, verdict, run } = input;
  const trials = results.trials;
  const trialNames = trials.map((trial) => trial.name);
  const title = run.name ?? run.runId;
  const subtitle = [
    trialNames.length === 0 ? undefined : trialNames.join(' vs '),
    run.startedAt === null ? undefined : formatTimestamp(run.startedAt),
    run.engine === null ? undefined : `${run.engine.name} engine`,
    run.seed === null ? undefined : `seed ${run.seed}`,
  ].filter((part): part is string => part !== undefined);

  const page = html`<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${CSP}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${title}: load and failure report</title>
<style>${trustedHtml(STYLES)}</style>
</head>
<body>
<main>
<header>
<div>
<h1>${title}</h1>
<p class="sub">Run <code>${run.runId}</code> · ${subtitle.join(' · ')}</p>
${run.description === null ? '' : html`<p>${run.description}</p>`}
${run.status !== null && run.status !== 'completed' ? html`<p class="never">The run did not complete (${run.status}${run.error === null ? '' : `: ${run.error}`}); figures cover what was recorded.</p>` : ''}
</div>
<div>${verdictBadge(verdict)}</div>
</header>
${measurementProblems(verdict)}
${loadGeneratorCaveats(trials)}
<section id="headline"><h2>Headline</h2>
${headlineTable(results.comparison, trialNames, saturatedTrials(trials))}
</section>

<section id="thresholds"><h2>Thresholds</h2>
${verdictSection(verdict)}
</section>

<section id="faults"><h2>Faults</h2>
${scenarioTimeline(run.faults, run.faultWindowMs)}
${faultTable(trials)}
<h3>Latency before, during and after each fault</h3>
${latencyPhaseTable(trials)}
</section>

<section id="over-time"><h2>Over time</h2>
${trials.length === 0 ? html`<p>No trial.</p>` : timeSection(trials, render)}
</section>

<section id="per-fault"><h2>${trials.some((trial) => hasSessions(trial.totals)) ? 'Sessions, detection and recovery' : 'Detection and recovery'}</h2>
${faultChartsSection(trials, render)}
</section>

<section id="scale-out"><h2>Scale-out phases per added replica</h2>
${scaleOutSection(trials, render)}
</section>

<section id="recovery"><h2>Money and replay</h2>
${bankTable(trials)}
<h3>Replays before ready: replay time and time to ready against the events since the last snapshot</h3>
${replaySection(trials, render)}
</section>

<section id="trials"><h2>Trials</h2>
${panels(trials, (trial) => trialFacts(trial))}
</section>

<section id="glossary"><h2>Glossary</h2>
${glossarySection(results.glossary)}
</section>

<section id="metadata"><h2>Run metadata</h2>
${runMetadata(run, results)}
</section>
<p class="note">A self-contained report: it loads nothing from the network. Rebuild it from the run directory with <code>harness report ${run.runId}</code>.</p>
</main>
</body>
</html>
`;
  return page.value;
}

export const htmlRenderer: ReportRenderer = {
  name: 'html',
  fileName: (files) => files.reportHtml,
  render: renderHtml,
};
