/** shared-iterations: the VUs share `iterations` between them; a faster VU runs more of them. */
import type { Executor } from './common.ts';
import { runIterations } from './iterations.ts';

export const runSharedIterations: Executor<'shared-iterations'> = (env, config) =>
  runIterations(env, config, { total: config.iterations, mayStart: (_own, started) => started < config.iterations });
