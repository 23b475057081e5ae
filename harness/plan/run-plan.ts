import type { EngineChoice } from '../core/engine-choice.ts';
import type { ClusterPlan } from './cluster-plan.ts';
import type { PlannedFault } from './fault-plan.ts';

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
  scenario: unknown;
  trials: TrialPlan[];
}
