import type { EngineChoice } from '../core/engine-choice.ts';
import { InputError } from '../core/errors.ts';
import type { Scenario, ScenarioFault } from '../scenario/index.ts';
import { scriptEnv } from '../scenario/index.ts';
import { planCluster, type ClusterPlan } from './cluster-plan.ts';
import type { PlannedFault, TargetSelector } from './fault-plan.ts';

/** How a trial's load is run: the k6 script with flags and environment, as `harness load` takes them. */
export interface LoadPlan {
  /** Absolute path of the k6 script. */
  script: string;
  engine: EngineChoice;
  /** k6 flags (`--vus`, `--duration`, …) the scenario sets. */
  flags: string[];
  /** `-e KEY=VAL` pairs; BASE_URL is added per trial with the load balancer's URL. */
  env: Record<string, string>;
  /** How long the load runs, for progress and for percent offsets. */
  durationMs: number;
}

export interface TrialPlan {
  /** Unique in the run: the architecture's name, or a variant's. Names trials/<name>/ and report columns. */
  name: string;
  architecture: ClusterPlan['architecture'];
  cluster: ClusterPlan;
  load: LoadPlan;
  faults: PlannedFault[];
  faultWindowMs: number;
}

/** A whole run: one trial per architecture (or variant), run one after the other with the same load, faults and seed. */
export interface RunPlan {
  runId: string;
  name: string;
  seed: number;
  /** Where the scenario came from (a path, or "default"). */
  source: string;
  /** The validated scenario as the plan was made from it, recorded in the run's manifest. */
  scenario: Scenario;
  trials: TrialPlan[];
}

export interface PlanOverrides {
  engine?: EngineChoice;
  seed?: number;
  /** Run only these trials (names from the scenario), in the scenario's order. */
  only?: readonly string[];
}

/**
 * A validated scenario becomes a plan: one trial per entry of `architectures`, each with the same load, the
 * same faults and the same seed, so that the comparison is fair.
 */
export function planRun(whole: Scenario, runId: string, overrides: PlanOverrides = {}): RunPlan {
  const scenario = overrides.only === undefined ? whole : onlyTrials(whole, overrides.only);
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
    trials: scenario.trials.map((trial) => {
      const cluster = planCluster({
        runId,
        architecture: trial.architecture,
        replicas: scenario.replicas,
        maxReplicas: scenario.maxReplicas,
        appEnv: trial.appEnv,
        seedEvents: trial.seedEvents,
        lb: trial.lb,
      });
      return {
        name: trial.name,
        architecture: cluster.architecture,
        cluster,
        load: { script: scenario.load.script, engine, flags: [], env: { ...env }, durationMs: scenario.load.durationMs },
        faults,
        faultWindowMs: scenario.faultWindowMs,
      };
    }),
  };
}

/** The scenario narrowed to some of its trials; it is also what the manifest records as planned. */
function onlyTrials(scenario: Scenario, names: readonly string[]): Scenario {
  const known = scenario.trials.map((trial) => trial.name);
  for (const name of names) {
    if (!known.includes(name)) throw new InputError('--only', name, `one of the scenario's trials (${known.join(', ')})`);
  }
  const trials = scenario.trials.filter((trial) => names.includes(trial.name));
  return { ...scenario, trials, architectures: [...new Set(trials.map((trial) => trial.architecture))] };
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
