/**
 * The executors by name: one file each, and a table the compiler checks complete against the
 * executors options.ts accepts (ScenarioConfig), so a new executor cannot be parsed and then not run.
 */
import type { ExecutorName, ScenarioConfig } from '../options.ts';
import type { Executor, ExecutorEnv } from './common.ts';
import { runConstantVus } from './constant-vus.ts';
import { runRampingVus } from './ramping-vus.ts';
import { runPerVuIterations } from './per-vu-iterations.ts';
import { runSharedIterations } from './shared-iterations.ts';
import { runConstantArrivalRate } from './constant-arrival-rate.ts';
import { runRampingArrivalRate } from './ramping-arrival-rate.ts';

export const EXECUTORS: { readonly [E in ExecutorName]: Executor<E> } = {
  'constant-vus': runConstantVus,
  'ramping-vus': runRampingVus,
  'per-vu-iterations': runPerVuIterations,
  'shared-iterations': runSharedIterations,
  'constant-arrival-rate': runConstantArrivalRate,
  'ramping-arrival-rate': runRampingArrivalRate,
};

/** Runs the scenario of `env` with its executor; returns when its VUs have stopped. */
export function runExecutor(env: ExecutorEnv): Promise<void> {
  return executorFor(env.config)(env, env.config);
}

function executorFor<E extends ExecutorName>(config: Extract<ScenarioConfig, { executor: E }>): Executor<E> {
  // The table is keyed by the config's own `executor`; TypeScript cannot follow that link by itself.
  return EXECUTORS[config.executor as E];
}
