import type { EngineChoice } from '../core/engine-choice.ts';
import type { Scenario, ScenarioFault } from '../scenario/index.ts';
import { scriptEnv } from '../scenario/index.ts';
import { planCluster } from './cluster-plan.ts';
import type { PlannedFault, TargetSelector } from './fault-plan.ts';
import type { RunPlan } from './run-plan.ts';

export interface PlanOverrides {
  engine?: EngineChoice;
  seed?: number;
}

/**
 * A validated scenario becomes a plan: one trial per architecture, each with the same load, the
 * same faults and the same seed, so that the comparison is fair.
 */
export function planRun(scenario: Scenario, runId: string, overrides: PlanOverrides = {}): RunPlan {
  const seed = overrides.seed ?? scenario.seed;
  const engine = overrides.engine ?? scenario.load.engine;
  const env = scriptEnv(scenario.load, '');
  const faults = scenario.faults.map(plannedFault);
  return {
    runId,
    name: scenario.name,
    seed,
    source: scenario.source,
    scenario,
    trials: scenario.architectures.map((architecture) => {
      const cluster = planCluster({ runId, architecture, replicas: scenario.replicas, maxReplicas: scenario.maxReplicas, appEnv: scenario.appEnv });
      return {
      architecture: cluster.architecture,
      cluster,
      load: { script: scenario.load.script, engine, flags: [], env: { ...env }, durationMs: scenario.load.durationMs },
      faults,
      faultWindowMs: scenario.faultWindowMs,
      };
    }),
  };
}

function plannedFault(fault: ScenarioFault): PlannedFault {
  return {
    index: fault.index,
    atMs: fault.atMs,
    action: fault.action,
    selector: selectorOf(fault.target),
    count: fault.count,
    ...(fault.forMs !== undefined ? { forMs: fault.forMs } : {}),
  };
}

function selectorOf(target: ScenarioFault['target']): TargetSelector {
  if (target === null) return { kind: 'newest' };
  if (typeof target === 'number') return { kind: 'index', index: target };
  return { kind: target };
}
