import type { FaultFigures, ReplayFigures, ScaleOutFigures } from '../analysis/index.ts';
import { faultLabel, formatFigure, measuredFaults } from '../verdict/index.ts';
import { escapeMarkdown as md } from './escape.ts';
import { detectionText, excessText, pinnedText, recoveryText, sessionLossText, slowText } from './fault-text.ts';
import {
  checkActual,
  engineText,
  failedFirst,
  formatComparisonValue,
  formatMs,
  formatOffset,
  formatRatio,
  inflatedByLoadGenerator,
  lbSettingsText,
  saturatedTrials,
  saturationText,
  thresholdTitle,
} from './format.ts';
import type { ReportInput, ReportRenderer } from './renderer.ts';

/**
 * summary.md: what a CI job summary or a pull-request comment needs, without links (the HTML report
 * is beside it): the verdict, the headline table with the better value marked, failed thresholds
 * first, then one line per fault and per added replica.
 */
export function renderMarkdown(input: ReportInput): string {
  const { results, verdict, run } = input;
  const trialNames = results.trials.map((trial) => trial.name);
  const lines: string[] = [];

  const icon = verdict.status === 'failed' || verdict.status === 'not-measured' ? '❌' : verdict.status === 'passed' ? '✅' : 'ℹ️';
  const state = {
    'not-measured': `not measured: ${verdict.problems.length} trial(s) did not measure what they claim`,
    failed: `${verdict.counts.failed} of ${verdict.counts.checks} thresholds failed`,
    passed: `all ${verdict.counts.checks} thresholds passed`,
    'no-thresholds': 'no thresholds set',
  }[verdict.status];
  lines.push(`## ${icon} ${md(run.name ?? run.runId)}: ${state}`, '');
  const facts = [
    `run ${md(run.runId)}`,
    trialNames.map(md).join(' vs '),
    run.engine === null ? undefined : `engine ${md(engineText(run.engine) ?? '')}`,
    run.seed === null ? undefined : `seed ${run.seed}`,
    run.status === null || run.status === 'completed' ? undefined : `run status **${md(run.status)}**`,
  ].filter((fact): fact is string => fact !== undefined);
  lines.push(facts.join(' · '), '');

  if (verdict.problems.length > 0) {
    lines.push('### Trials that did not measure what they claim', '');
    for (const problem of verdict.problems) lines.push(`- ❌ **${md(problem.trial)}** ${problem.status}: ${md(problem.reason)}`);
    lines.push('', 'Figures below come only from what was measured before it stopped; they are not a result.', '');
  }

  if (results.comparison.length > 0 && trialNames.length > 0) {
    lines.push('### Headline', '');
    lines.push(`| Figure | ${trialNames.map(md).join(' | ')} |`, `|---|${trialNames.map(() => '---:').join('|')}|`);
    const saturated = saturatedTrials(results.trials);
    for (const entry of results.comparison) {
      const cells = trialNames.map((name) => {
        const text = md(formatComparisonValue(entry, entry.values.find((value) => value.trial === name)));
        const better = entry.best.includes(name) && trialNames.length > 1;
        const caveat = inflatedByLoadGenerator(entry, name, saturated) ? ' ⚠' : '';
        return `${better ? `**${text}** ✓` : text}${caveat}`;
      });
      lines.push(`| ${md(entry.label)} | ${cells.join(' | ')} |`);
    }
    const marks = [`✓ marks the better value (${betterNote(results.comparison)})`];
    if (saturated.size > 0) marks.push('⚠ a latency that a saturated load generator may have inflated (see below)');
    lines.push('', `${marks.join('; ')}.`, '');
  }

  const generatorLines = results.trials.flatMap((trial) => {
    const text = saturationText(trial);
    return text === undefined ? [] : [`- ⚠️ **${md(trial.name)}**: ${md(text)}`];
  });
  if (generatorLines.length > 0) lines.push('### Load generator', '', ...generatorLines, '');

  lines.push('### Thresholds', '');
  if (verdict.checks.length === 0) {
    lines.push('No thresholds: set them in the scenario (`thresholds:`) or with `--max-error-rate stateless=0.01` and the other `--max-*` flags.', '');
  } else {
    lines.push('| | Trial | Threshold | Actual | Detail | From |', '|---|---|---|---:|---|---|');
    for (const check of failedFirst(verdict.checks)) {
      const mark = check.ok ? '✅' : check.status === 'missing' ? '⚠️ fail' : '❌ fail';
      lines.push(`| ${mark} | ${md(check.trial)} | ${md(thresholdTitle(check))} | ${md(checkActual(check))} | ${md(check.detail)} | ${check.source} |`);
    }
    lines.push('');
  }

  const faultLines = results.trials.flatMap((trial) => measuredFaults(trial.faults).map((fault) => `- ${md(trial.name)} · ${faultLine(fault)}`));
  if (faultLines.length > 0) lines.push('### Faults', '', ...faultLines, '');

  const scaleLines = results.trials.flatMap((trial) =>
    trial.scaleOut.flatMap((replica) => [
      `- ${md(trial.name)} · ${scaleOutLine(replica)}`,
      ...replica.phaseProblems.map((problem) => `  - ⚠️ measurement problem: ${md(problem)}`),
    ]),
  );
  if (scaleLines.length > 0) lines.push('### Scale-out (each phase − T0)', '', ...scaleLines, '');

  // Replays caused by a fault (restart, scale-out): the ones whose time to ready users wait through.
  const replayLines = results.trials.flatMap((trial) =>
    trial.replays.filter((replay) => replay.cause !== 'start').map((replay) => `- ${md(trial.name)} · ${replayLine(replay)}`),
  );
  if (replayLines.length > 0) lines.push('### Event-sourced replays after a restart or scale-out', '', ...replayLines, '');

  // The settings shape what a fault costs (how long a request waits on a dead replica), so they are part of the result.
  const lbLines = results.trials.flatMap((trial) => {
    const text = lbSettingsText(trial);
    return text === undefined ? [] : [`- ${md(trial.name)} · ${md(text)}`];
  });
  if (lbLines.length > 0) lines.push('### Load balancer settings', '', ...lbLines, '');

  const warnings = results.trials.flatMap((trial) => trial.warnings.map((warning) => `- ${md(trial.name)}: ${md(warning)}`));
  if (warnings.length > 0) lines.push('### Warnings', '', ...warnings, '');

  lines.push(`<sub>${md(`results.json schema v${results.schemaVersion}, generated ${results.meta.generatedAt}; definitions in the glossary of report.html.`)}</sub>`, '');
  return lines.join('\n');
}

function betterNote(comparison: ReportInput['results']['comparison']): string {
  const higher = comparison.filter((entry) => entry.better === 'higher').map((entry) => entry.label);
  return higher.length === 0 ? 'lower is better for every figure' : `lower is better, except ${higher.join(', ')}`;
}

function faultLine(fault: FaultFigures): string {
  const sessions = sessionLossText(fault);
  const pinned = pinnedText(fault);
  const detection = detectionText(fault);
  const parts = [
    `**${md(faultLabel(fault))}** at ${formatOffset(fault.startMs)}${fault.outcome === 'ok' ? '' : ` (${md(fault.outcome)})`}`,
    `window errors ${formatRatio(fault.windowErrorRate, 'no requests')} (${md(excessText(fault))})`,
    md(slowText(fault)),
    detection === undefined ? undefined : md(detection),
    `recovered ${md(recoveryText(fault))}`,
    sessions === undefined ? undefined : `sessions lost ${md(sessions)}`,
    pinned === undefined ? undefined : md(pinned),
  ].filter((part): part is string => part !== undefined);
  return parts.join(' · ');
}

function scaleOutLine(replica: ScaleOutFigures): string {
  const phase = (name: string, value: number | null, whenNull: string): string => `${name} ${formatMs(value, whenNull)}`;
  return [
    `**${md(replica.replica)}** (fault #${replica.faultIndex}, at ${formatOffset(replica.requestedMs)})`,
    phase('created', replica.phases.created, '–'),
    phase('started', replica.phases.started, '–'),
    phase('ready', replica.phases.ready, '–'),
    phase('in LB', replica.phases.inLb, '–'),
    `**${phase('first request', replica.firstRequestMs, 'never')}**`,
    phase('fair share', replica.fairShareMs, 'not reached'),
  ].join(' · ');
}

function replayLine(replay: ReplayFigures): string {
  return [
    `**${md(replay.replica)}** ${replay.cause} (ready at ${formatOffset(replay.atMs)})`,
    `${formatFigure('count', replay.eventsReplayed)} events since ${replay.fromSnapshot ? 'the snapshot' : 'the start of the log (no snapshot)'}`,
    `replay ${formatMs(replay.replayMs, '–')}`,
    `**time to ready ${formatMs(replay.timeToReadyMs, '–')}**`,
  ].join(' · ');
}

export const markdownRenderer: ReportRenderer = {
  name: 'markdown',
  fileName: (files) => files.summaryMd,
  render: renderMarkdown,
};
