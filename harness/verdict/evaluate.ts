import type { Results } from '../analysis/index.ts';
import { measure } from './measure.ts';
import { resolveThresholds, type ScenarioThresholds } from './resolve.ts';
import type { CliThreshold, ThresholdCheck, ThresholdSpec, Verdict } from './types.ts';
import { formatFigure } from './units.ts';
import { METRICS } from './metrics.ts';

export interface VerdictInput {
  results: Pick<Results, 'trials'>;
  /** manifest.json's scenario.thresholds. */
  scenarioThresholds?: ScenarioThresholds;
  /** manifest.json's scenario.architectures: a planned trial missing from results fails its thresholds. */
  scenarioArchitectures?: readonly string[];
  cliThresholds?: readonly CliThreshold[];
}

/**
 * Thresholds → verdict, from results.json alone. Every threshold of every architecture that was
 * planned, named by a flag, or has a trial becomes one check; a figure that cannot be measured, or an
 * architecture without a trial, fails with a detail saying why.
 */
export function evaluateVerdict(input: VerdictInput): Verdict {
  const trials = new Map(input.results.trials.map((trial) => [trial.architecture, trial]));
  const cli = input.cliThresholds ?? [];
  const architectures = unique([
    ...trials.keys(),
    ...(input.scenarioArchitectures ?? []),
    ...cli.map((threshold) => threshold.architecture).filter((architecture) => architecture !== '*'),
  ]);
  const specs = resolveThresholds(architectures, input.scenarioThresholds ?? {}, cli);

  const checks = specs.map((spec): ThresholdCheck => {
    const trial = trials.get(spec.architecture);
    if (trial === undefined) return missingCheck(spec, `no ${spec.architecture} trial in this run's results`);
    const measured = measure(trial, spec.metric, spec.scope);
    if (measured.value === null) return missingCheck(spec, measured.detail);
    const ok = measured.value <= spec.max;
    const limit = `${ok ? '≤' : '>'} ${formatFigure(METRICS[spec.metric].unit, spec.max)}`;
    return { ...spec, actual: measured.value, ok, status: ok ? 'pass' : 'fail', detail: `${measured.detail}; ${limit}` };
  });

  const passed = checks.filter((check) => check.ok).length;
  const missing = checks.filter((check) => check.status === 'missing').length;
  return {
    passed: passed === checks.length,
    status: checks.length === 0 ? 'no-thresholds' : passed === checks.length ? 'passed' : 'failed',
    checks,
    counts: { checks: checks.length, passed, failed: checks.length - passed, missing },
    architectures: [...trials.keys()],
  };
}

function missingCheck(spec: ThresholdSpec, why: string): ThresholdCheck {
  return { ...spec, actual: null, ok: false, status: 'missing', detail: `not measured: ${why}` };
}

const unique = (values: readonly string[]): string[] => [...new Set(values)];
