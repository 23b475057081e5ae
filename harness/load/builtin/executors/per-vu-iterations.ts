/** per-vu-iterations: each VU runs its own `iterations`. */
import type { Executor } from './common.ts';
import { runIterations } from './iterations.ts';

export const runPerVuIterations: Executor<'per-vu-iterations'> = (env, config) =>
  runIterations(env, config, { total: config.iterations * config.vus, mayStart: (own) => own < config.iterations });
