import type { TrialResult } from '../analysis/index.ts';
import { formatFigure, METRICS, type MeasurementProblem, type ThresholdCheck } from '../verdict/index.ts';
import { escapeXml } from './escape.ts';
import { checkActual, engineText, thresholdKey } from './format.ts';
import type { ReportInput, ReportRenderer } from './renderer.ts';

/**
 * junit.xml: one <testsuite> per trial, one <testcase> per threshold of that trial
 * (classname = the trial name, name = metric, scope and max). A failed threshold is a <failure>
 * whose message has the measured value; a figure that could not be measured is a failure too. A
 * trial with no thresholds gets a single passing "run completed" case, so CI still sees that the
 * trial ran. A trial that did not measure what it claims gets a "load measured" case with an <error>.
 */
export const RUN_COMPLETED_CASE = 'run completed';
/** The case of a trial that did not measure what it claims (an <error>). */
export const MEASURED_CASE = 'load measured';

const attr = (name: string, value: string | number): string => ` ${name}="${escapeXml(String(value))}"`;
const seconds = (ms: number): string => (ms / 1000).toFixed(3);

function testcase(check: ThresholdCheck): string {
  const open = `    <testcase${attr('classname', check.trial)}${attr('name', thresholdKey(check))}${attr('time', '0')}`;
  if (check.ok) return `${open}>\n      <system-out>${escapeXml(`${check.detail} (${check.source})`)}</system-out>\n    </testcase>`;
  const message =
    check.status === 'missing'
      ? `${check.metric} (${check.scope}) could not be measured; max ${formatFigure(METRICS[check.metric].unit, check.max)}`
      : `${check.metric} (${check.scope}) = ${checkActual(check)}; max ${formatFigure(METRICS[check.metric].unit, check.max)}`;
  const type = check.status === 'missing' ? 'missing-figure' : 'threshold';
  return `${open}>\n      <failure${attr('message', message)}${attr('type', type)}>${escapeXml(`${check.detail}\nsource: ${check.source}`)}</failure>\n    </testcase>`;
}

/** A trial that did not measure what it claims: an <error> (the test could not run), whatever its thresholds say. */
function notMeasuredCase(problem: MeasurementProblem): string {
  return (
    `    <testcase${attr('classname', problem.trial)}${attr('name', MEASURED_CASE)}${attr('time', '0')}>\n` +
    `      <error${attr('message', `${problem.trial} ${problem.status}: ${problem.reason}`)}${attr('type', 'not-measured')}>${escapeXml(
      `the trial did not measure what it claims; its figures, if any, are partial`,
    )}</error>\n    </testcase>`
  );
}

function suite(trialName: string, trial: TrialResult | undefined, checks: readonly ThresholdCheck[], input: ReportInput): string {
  const problem = input.verdict.problems.find((candidate) => candidate.trial === trialName);
  const cases = [...(problem === undefined ? [] : [notMeasuredCase(problem)]), ...checks.map(testcase)];
  if (checks.length === 0 && trial !== undefined && problem === undefined) {
    cases.push(
      `    <testcase${attr('classname', trialName)}${attr('name', RUN_COMPLETED_CASE)}${attr('time', seconds(trial.durationMs))}>\n` +
        `      <system-out>${escapeXml(`no thresholds for ${trialName}; ${trial.totals.requests} requests over ${seconds(trial.durationMs)} s`)}</system-out>\n    </testcase>`,
    );
  }
  const failures = checks.filter((check) => !check.ok).length;
  const properties = [
    ['run', input.run.runId],
    ['scenario', input.run.name ?? ''],
    ['seed', input.run.seed === null ? '' : String(input.run.seed)],
    ['engine', engineText(input.run.engine) ?? ''],
  ]
    .map(([name = '', value = '']) => `      <property${attr('name', name)}${attr('value', value)}/>`)
    .join('\n');
  const timing = trial === undefined ? '' : `${attr('time', seconds(trial.durationMs))}${attr('timestamp', new Date(trial.t0).toISOString())}`;
  return (
    `  <testsuite${attr('name', trialName)}${attr('tests', cases.length)}${attr('failures', failures)}${attr('errors', problem === undefined ? 0 : 1)}${attr('skipped', 0)}${timing}>\n` +
    `    <properties>\n${properties}\n    </properties>\n` +
    `${cases.join('\n')}\n  </testsuite>`
  );
}

export function renderJunit(input: ReportInput): string {
  const trials = new Map(input.results.trials.map((trial) => [trial.name, trial]));
  const trialNames = [...new Set([...trials.keys(), ...input.verdict.problems.map((problem) => problem.trial), ...input.verdict.checks.map((check) => check.trial)])];
  const suites = trialNames.map((name) =>
    suite(
      name,
      trials.get(name),
      input.verdict.checks.filter((check) => check.trial === name),
      input,
    ),
  );
  const problems = input.verdict.problems.length;
  const tests =
    input.verdict.checks.length +
    problems +
    trialNames.filter((a) => trials.has(a) && !input.verdict.checks.some((c) => c.trial === a) && !input.verdict.problems.some((p) => p.trial === a)).length;
  const failures = input.verdict.counts.failed;
  const total = input.results.trials.reduce((sum, trial) => sum + trial.durationMs, 0);
  return (
    `<?xml version="1.0" encoding="UTF-8"?>\n` +
    `<testsuites${attr('name', `harness ${input.run.runId}`)}${attr('tests', tests)}${attr('failures', failures)}${attr('errors', problems)}${attr('time', seconds(total))}>\n` +
    `${suites.join('\n')}\n</testsuites>\n`
  );
}

export const junitRenderer: ReportRenderer = {
  name: 'junit',
  fileName: (files) => files.junitXml,
  render: renderJunit,
};
