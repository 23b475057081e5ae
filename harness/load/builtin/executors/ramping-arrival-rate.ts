/** ramping-arrival-rate: the start rate follows the stages, linearly within each. */
import { runArrivalRate } from './arrival-rate.ts';
import type { Executor } from './common.ts';

export const runRampingArrivalRate: Executor<'ramping-arrival-rate'> = (env, config) =>
  runArrivalRate(env, config, { startRate: config.startRate, stages: config.stages, rateText: '' });
