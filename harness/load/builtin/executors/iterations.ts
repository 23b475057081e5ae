/**
 * What per-vu-iterations and shared-iterations share: a fixed set of VUs loop until the iterations
 * run out (who may start one is the executor's rule) or maxDuration ends.
 */
import type { ScenarioConfig } from '../options.ts';
import { now } from '../runtime/clock.ts';
import { LoopGroup, formatSeconds, sleepUntil, takeVus, type ExecutorEnv } from './common.ts';

type IterationsConfig = Extract<ScenarioConfig, { executor: 'per-vu-iterations' | 'shared-iterations' }>;

export interface IterationRule {
  /** Iterations of the whole scenario, for the progress line. */
  total: number;
  /** Whether a VU that started `own` iterations may start another, `started` having started in all. */
  mayStart: (own: number, started: number) => boolean;
}

export async function runIterations(env: ExecutorEnv, config: IterationsConfig, rule: IterationRule): Promise<void> {
  const start = now();
  const end = start + config.maxDurationMs;
  const group = new LoopGroup(env);
  let started = 0;
  const vus = await takeVus(env, config.vus);
  for (const vu of vus) {
    let own = 0;
    group.start(vu, () => {
      if (now() >= end || !rule.mayStart(own, started)) return false;
      own++;
      started++;
      return true;
    });
  }
  const detail = (): string =>
    `${config.vus} VUs  ${formatSeconds(Math.round((now() - start) / 100) * 100)}/${formatSeconds(config.maxDurationMs)}  ${started}/${rule.total} iters`;
  const tick = setInterval(() => {
    env.progress.fraction = Math.min(1, (env.stats.completed + env.stats.interrupted) === 0 ? 0 : started / rule.total);
    env.progress.detail = detail();
  }, 200);
  const allDone = Promise.all(vus.map((vu) => group.loopOf(vu)));
  await Promise.race([allDone, sleepUntil(end, env.ctx)]);
  env.progress.state = 'stopping';
  await group.finish(config.gracefulStopMs);
  clearInterval(tick);
  env.progress.fraction = 1;
  env.progress.detail = detail();
}
