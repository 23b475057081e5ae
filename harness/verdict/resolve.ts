import type { Threshold } from '../scenario/types.ts';
import type { CliThreshold, ThresholdSpec } from './types.ts';

/** A scenario's thresholds by architecture; "*" (if a manifest still has it) applies to every one. */
export type ScenarioThresholds = Readonly<Record<string, readonly Threshold[] | undefined>>;

const ALL = '*';

/** A trial as thresholds see it: they are written per architecture and apply to each of its trials. */
export interface TrialIdentity {
  name: string;
  architecture: string;
}

/**
 * The thresholds that apply to each trial, in a stable order. Per trial, metric and scope one limit
 * wins, from lowest to highest precedence: the scenario's "*", the scenario's entry for the trial's
 * architecture, a "*" flag, the architecture's own flag (the last repeated flag wins).
 */
export function resolveThresholds(
  trials: readonly TrialIdentity[],
  scenario: ScenarioThresholds,
  cli: readonly CliThreshold[],
): ThresholdSpec[] {
  const specs: ThresholdSpec[] = [];
  for (const { name: trial, architecture } of trials) {
    const byKey = new Map<string, ThresholdSpec>();
    const put = (spec: ThresholdSpec): void => {
      byKey.set(`${spec.metric}\u0000${spec.scope}`, spec);
    };
    for (const key of [ALL, architecture]) {
      for (const threshold of scenario[key] ?? []) put({ trial, ...pick(threshold), source: 'scenario' });
    }
    for (const key of [ALL, architecture]) {
      for (const threshold of cli) if (threshold.architecture === key) put({ trial, ...pick(threshold), source: 'cli' });
    }
    specs.push(...byKey.values());
  }
  return specs;
}

const pick = ({ metric, scope, max }: Pick<Threshold, 'metric' | 'scope' | 'max'>) => ({ metric, scope, max });
