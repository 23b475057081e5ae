/**
 * Executors whose VUs loop: constant-vus, ramping-vus, per-vu-iterations, shared-iterations.
 * Each returns when its VUs have stopped (after the graceful stop, or interrupted).
 */
import type { ScenarioConfig, Stage } from '../options.ts';
import type { Vu } from '../runtime/vu.ts';
import { now } from '../runtime/clock.ts';
import { LoopGroup, delay, delayOrAbort, formatSeconds, sleepUntil, type ExecutorEnv } from './common.ts';

type Config<E extends ScenarioConfig['executor']> = Extract<ScenarioConfig, { executor: E }>;

async function takeVus(env: ExecutorEnv, count: number): Promise<Vu[]> {
  const vus: Vu[] = [];
  for (let i = 0; i < count; i++) vus.push(await env.pool.takeOrCreate());
  return vus;
}

export async function runConstantVus(env: ExecutorEnv, config: Config<'constant-vus'>): Promise<void> {
  const start = now();
  const end = start + config.durationMs;
  const group = new LoopGroup(env);
  for (const vu of await takeVus(env, config.vus)) group.start(vu, () => now() < end);
  const total = formatSeconds(config.durationMs);
  env.progress.fraction = 0;
  const tick = setInterval(() => {
    const elapsed = Math.min(config.durationMs, now() - start);
    env.progress.fraction = elapsed / config.durationMs;
    env.progress.detail = `${config.vus} VUs  ${formatSeconds(Math.round(elapsed / 100) * 100)}/${total}`;
  }, 200);
  env.progress.detail = `${config.vus} VUs  0s/${total}`;
  await sleepUntil(end, env.ctx);
  env.progress.state = 'stopping';
  await group.finish(config.gracefulStopMs);
  clearInterval(tick);
  env.progress.fraction = 1;
  env.progress.detail = `${config.vus} VUs  ${total}`;
}

/** VU count of ramping-vus at `t` ms into the stages: steps towards each target, as k6 plans. */
export function rampingVusAt(startVUs: number, stages: readonly Stage[], t: number): number {
  let from = startVUs;
  let at = 0;
  for (const stage of stages) {
    if (t < at + stage.durationMs) {
      const frac = stage.durationMs === 0 ? 1 : (t - at) / stage.durationMs;
      return from + Math.trunc((stage.target - from) * frac);
    }
    at += stage.durationMs;
    from = stage.target;
  }
  return from;
}

export async function runRampingVus(env: ExecutorEnv, config: Config<'ramping-vus'>): Promise<void> {
  const start = now();
  const total = config.stages.reduce((t, s) => t + s.durationMs, 0);
  const end = start + total;
  const group = new LoopGroup(env);
  /** Active VUs in start order, each with its own "stop after this iteration" flag. */
  const active: Array<{ vu: Vu; stop: boolean }> = [];
  const rampDowns: Array<Promise<void>> = [];
  const maxVus = Math.max(config.startVUs, ...config.stages.map((s) => s.target));
  const adjust = async (): Promise<void> => {
    const target = env.ctx.abort ? 0 : rampingVusAt(config.startVUs, config.stages, Math.min(total, now() - start));
    while (active.length < target) {
      const vu = await env.pool.takeOrCreate();
      const slot = { vu, stop: false };
      active.push(slot);
      group.start(vu, () => !slot.stop && now() < end);
    }
    while (active.length > target) {
      const slot = active.pop()!;
      slot.stop = true;
      // gracefulRampDown: a VU leaving may finish its iteration, but only for so long.
      const loop = group.loopOf(slot.vu);
      if (loop) {
        rampDowns.push(
          Promise.race([loop, delayOrAbort(config.gracefulRampDownMs, env.ctx).then(() => slot.vu.interruptIteration())]).then(() => undefined),
        );
      }
    }
    const elapsed = Math.min(total, now() - start);
    env.progress.fraction = total === 0 ? 1 : elapsed / total;
    env.progress.detail = `${String(active.length).padStart(String(maxVus).length)}/${maxVus} VUs  ${formatSeconds(Math.round(elapsed / 100) * 100)}/${formatSeconds(total)}`;
  };
  await adjust();
  while (now() < end && !env.ctx.abort) {
    await Promise.race([delay(Math.min(50, end - now())), sleepUntil(end, env.ctx)]);
    await adjust();
  }
  env.progress.state = 'stopping';
  for (const slot of active) slot.stop = true;
  await group.finish(config.gracefulStopMs);
  await Promise.all(rampDowns);
  env.progress.fraction = 1;
}

export async function runIterationsExecutor(env: ExecutorEnv, config: Config<'per-vu-iterations'> | Config<'shared-iterations'>): Promise<void> {
  const start = now();
  const end = start + config.maxDurationMs;
  const group = new LoopGroup(env);
  const totalIterations = config.executor === 'shared-iterations' ? config.iterations : config.iterations * config.vus;
  let started = 0;
  const vus = await takeVus(env, config.vus);
  for (const vu of vus) {
    let own = 0;
    group.start(vu, () => {
      if (now() >= end) return false;
      if (config.executor === 'shared-iterations') {
        if (started >= config.iterations) return false;
      } else if (own >= config.iterations) {
        return false;
      }
      own++;
      started++;
      return true;
    });
  }
  const tick = setInterval(() => {
    env.progress.fraction = Math.min(1, (env.stats.completed + env.stats.interrupted) === 0 ? 0 : started / totalIterations);
    env.progress.detail = `${config.vus} VUs  ${formatSeconds(Math.round((now() - start) / 100) * 100)}/${formatSeconds(config.maxDurationMs)}  ${started}/${totalIterations} iters`;
  }, 200);
  const allDone = Promise.all(vus.map((vu) => group.loopOf(vu)));
  await Promise.race([allDone, sleepUntil(end, env.ctx)]);
  env.progress.state = 'stopping';
  await group.finish(config.gracefulStopMs);
  clearInterval(tick);
  env.progress.fraction = 1;
  env.progress.detail = `${config.vus} VUs  ${formatSeconds(Math.round((now() - start) / 100) * 100)}/${formatSeconds(config.maxDurationMs)}  ${started}/${totalIterations} iters`;
}
