import type { Results, TrialResult } from '../../analysis/index.ts';
import { hasSessions } from '../../analysis/figures/session-figures.ts';
import type { GlossaryEntry } from '../../analysis/results-schema.ts';
import { formatFigure } from '../../verdict/index.ts';
import { engineText, formatOffset, formatRatio, formatTimestamp, lbSettingsText } from '../format.ts';
import { html, type HtmlValue, type SafeHtml } from './safe-html.ts';
import type { RunInfo } from '../run-info.ts';
import { sortReplicas } from './palette.ts';

/** The bottom of the report: the glossary, each trial's facts, and what ran with what. */

export function glossarySection(glossary: readonly GlossaryEntry[]): SafeHtml {
  return html`<p class="note">Every figure in this report follows these definitions (the harness design’s, word for word, then how they are measured).</p>
<dl class="glossary">${glossary.map((entry) => html`<dt>${entry.term}</dt><dd>${entry.definition}</dd>`)}</dl>`;
}

function definitionList(entries: ReadonlyArray<readonly [string, HtmlValue]>): SafeHtml {
  return html`<dl class="meta">${entries.map(([term, value]) => html`<dt>${term}</dt><dd>${value === null || value === undefined || value === '' ? '–' : value}</dd>`)}</dl>`;
}

export function runMetadata(run: RunInfo, results: Results): SafeHtml {
  const tools = Object.entries(run.tools).map(([name, version]) => `${name} ${version ?? '–'}`).join(' · ');
  return definitionList([
    ['Run id', html`<code>${run.runId}</code>`],
    ['Scenario', run.name],
    ['Description', run.description],
    ['Scenario file', run.source === null ? null : html`<code>${run.source}</code>`],
    ['Seed', run.seed],
    ['Trials', (run.plannedTrials ?? results.trials).map(({ name, architecture }) => (name === architecture ? name : `${name} (${architecture})`)).join(', ')],
    ['Replicas at start', run.replicas],
    ['Load', run.load === null ? null : [run.load.shape ?? '', run.load.script === null ? '' : html` · script <code>${run.load.script}</code>`]],
    ['Load engine', run.engine === null ? null : `${engineText(run.engine)} (asked for: ${run.engine.choice})`],
    ['Application image', run.images === null ? null : html`<code>${run.images.app}</code> <span class="note">${run.images.appId ?? ''}</span>`],
    ['Base image', run.images === null ? null : html`<code>${run.images.base}</code> <span class="note">${run.images.baseId ?? ''}</span>`],
    ['Tools', tools],
    ['Run status', run.status === null ? null : run.error === null ? run.status : `${run.status}: ${run.error}`],
    ['Started', run.startedAt === null ? null : formatTimestamp(run.startedAt)],
    ['Ended', run.endedAt === null ? null : formatTimestamp(run.endedAt)],
    ['Figures computed', `${formatTimestamp(results.meta.generatedAt)} by ${results.meta.generator}, results.json schema v${results.schemaVersion}`],
    ['Manifest', run.manifestPresent ? 'manifest.json' : 'missing: metadata and the scenario’s thresholds are not known'],
  ]);
}

/** What t0 is, in words (the glossary's "Time" says how each is found). */
const T0_WORDS: Readonly<Record<TrialResult['t0Source'], string>> = {
  'engine-start': 'the engine’s own start',
  'load-file': 'the earliest iteration or request start in the load file (k6 records no start of its own)',
  'first-point': 'the end of the first request (recorded before the harness knew the load’s start)',
};

function loadGeneratorText(trial: TrialResult): string {
  const generator = trial.loadGenerator;
  if (generator === null) return 'not measured by this engine';
  const figures = `event-loop delay p99 ${formatFigure('ms', generator.eventLoopDelayMs.p99)}, max ${formatFigure('ms', generator.eventLoopDelayMs.max)}; CPU ${generator.cpuCoreFraction.toFixed(2)} of one core`;
  return generator.saturated ? `⚠ saturated: ${figures}` : `not saturated: ${figures}`;
}

export function trialFacts(trial: TrialResult): SafeHtml {
  const { totals, inputs } = trial;
  const replicas = sortReplicas(Object.keys(totals.responsesByReplica))
    .map((replica) => `${replica}: ${totals.responsesByReplica[replica] ?? 0}`)
    .join(', ');
  return definitionList([
    ['Load start (t = 0)', `${new Date(trial.t0).toISOString().replace('T', ' ').replace('Z', ' UTC')}: ${T0_WORDS[trial.t0Source]}`],
    ['Duration', formatOffset(trial.durationMs)],
    ['Initial replicas', trial.initialReplicas.join(', ')],
    ['Requests', `${formatFigure('count', totals.requests)} (${formatFigure('count', totals.failed)} failed, ${formatRatio(totals.errorRate)})`],
    ['Responses by replica', `${replicas}${totals.responsesWithoutReplica > 0 ? `; without a replica: ${totals.responsesWithoutReplica}` : ''}`],
    ['Sessions', hasSessions(totals) ? `${totals.sessionsStarted} started, ${totals.sessionsSeen} seen, ${totals.sessionsLost} lost (${totals.sessionsLostOutsideFaults} outside any fault)` : 'none: the workload has no sessions'],
    ['Fault window', formatOffset(trial.faultWindowMs)],
    [
      'Inputs read',
      `${inputs.load.file}: ${formatFigure('count', inputs.load.lines)} lines, ${formatFigure('count', inputs.load.pointsKept)} points used, ${inputs.load.malformedLines} malformed; ` +
        `${inputs.events.file}: ${inputs.events.present ? `${inputs.events.records} events` : 'missing'}; ${inputs.lbStates.file}: ${inputs.lbStates.present ? `${inputs.lbStates.records} records` : 'missing'}`,
    ],
    ['Load balancer', lbSettingsText(trial) ?? 'settings not recorded (an older run)'],
    ['Load generator', loadGeneratorText(trial)],
    ['Warnings', trial.warnings.length === 0 ? 'none' : html`<ul class="warnings">${trial.warnings.map((warning) => html`<li>${warning}</li>`)}</ul>`],
  ]);
}
