/** constant-arrival-rate: `rate` iterations start every timeUnit for `duration`, however long they take. */
import { runArrivalRate } from './arrival-rate.ts';
import type { Executor } from './common.ts';

export const runConstantArrivalRate: Executor<'constant-arrival-rate'> = (env, config) =>
  runArrivalRate(env, config, {
    startRate: config.rate,
    stages: [{ durationMs: config.durationMs, target: config.rate }],
    rateText: `${(config.rate / (config.timeUnitMs / 1000)).toFixed(2)} iters/s`,
  });
