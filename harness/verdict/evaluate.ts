import type { Results } from '../analysis/index.ts';
import { measure } from './measure.ts';
import { resolveThresholds, type ScenarioThresholds, type TrialIdentity } from './resolve.ts';
import type { CliThreshold, MeasurementProblem, ThresholdCheck, ThresholdSpec, Verdict } from './types.ts';
import { formatFigure } from './units.ts';
import { METRICS } from './metrics.ts';

export interface VerdictInput {
  results: Pick<Results, 'trials'> & Partial<Pick<Results, 'unmeasured'>>;
  /** manifest.json's scenario.thresholds. */
  scenarioThresholds?: ScenarioThresholds;
  /** manifest.json's planned trials: one missing from results fails its thresholds. */
  scenarioTrials?: readonly TrialIdentity[];
  cliThresholds?: readonly CliThreshold[];
}

/**
 * Thresholds → verdict, from results.json alone. Every threshold of every trial that was planned or
 * has results, and of every architecture a flag names, becomes one check; a figure that cannot be
 * measured, or a trial without results, fails with a detail saying why.
 */
export function evaluateVerdict(input: VerdictInput): Verdict {
  const trials = new Map(input.results.trials.map((trial) => [trial.name, trial]));
  const cli = input.cliThresholds ?? [];
  const identities = new Map<string, TrialIdentity>();
  for (const identity of [...input.results.trials, ...(input.results.unmeasured ?? []), ...(input.scenarioTrials ?? [])]) {
    if (!identities.has(identity.name)) identities.set(identity.name, { name: identity.name, architecture: identity.architecture });
  }
  // A flag for an architecture the run has no trial of still becomes a (missing) check.
  for (const { architecture } of cli) {
    if (architecture !== '*' && ![...identities.values()].some((identity) => identity.architecture === architecture)) {
      identities.set(architecture, { name: architecture, architecture });
    }
  }
  const specs = resolveThresholds([...identities.values()], input.scenarioThresholds ?? {}, cli);

  const checks = specs.map((spec): ThresholdCheck => {
    const trial = trials.get(spec.trial);
    if (trial === undefined) return missingCheck(spec, `no ${spec.trial} trial in this run's results`);
    const measured = measure(trial, spec.metric, spec.scope);
    if (measured.value === null) return missingCheck(spec, measured.detail);
    const ok = measured.value <= spec.max;
    const limit = `${ok ? '≤' : '>'} ${formatFigure(METRICS[spec.metric].unit, spec.max)}`;
    const caveat = METRICS[spec.metric].clientLatency && trial.loadGenerator?.saturated === true ? `; ${SATURATION_CAVEAT}` : '';
    return { ...spec, actual: measured.value, ok, status: ok ? 'pass' : 'fail', detail: `${measured.detail}; ${limit}${caveat}` };
  });

  const passed = checks.filter((check) => check.ok).length;
  const missing = checks.filter((check) => check.status === 'missing').length;
  const problems = measurementProblems(input.results);
  const thresholdsStatus = checks.length === 0 ? 'no-thresholds' : passed === checks.length ? 'passed' : 'failed';
  return {
    passed: problems.length === 0 && passed === checks.length,
    status: problems.length > 0 ? 'not-measured' : thresholdsStatus,
    problems,
    checks,
    counts: { checks: checks.length, passed, failed: checks.length - passed, missing },
    trials: [...trials.keys()],
  };
}

/** Trials whose figures are partial or absent, in trial order, then the ones with no figures at all. */
export function measurementProblems(results: VerdictInput['results']): MeasurementProblem[] {
  const partial = results.trials
    .filter((trial) => trial.status !== 'completed')
    .map((trial): MeasurementProblem => ({ trial: trial.name, status: trial.status === 'interrupted' ? 'interrupted' : 'failed', reason: trial.failure ?? `the trial ${trial.status}` }));
  const absent = (results.unmeasured ?? []).map((trial): MeasurementProblem => ({ trial: trial.name, status: trial.status, reason: trial.reason }));
  return [...partial, ...absent];
}

/** Said of every latency a saturated load generator measured: it timed its own queueing too. */
export const SATURATION_CAVEAT = '⚠ the load generator was saturated: this latency may be inflated by it';

function missingCheck(spec: ThresholdSpec, why: string): ThresholdCheck {
  return { ...spec, actual: null, ok: false, status: 'missing', detail: `not measured: ${why}` };
}
