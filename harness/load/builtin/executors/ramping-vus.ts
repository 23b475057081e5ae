/** ramping-vus: the number of looping VUs follows the stages; VUs leaving may finish their iteration (gracefulRampDown). */
import type { Stage } from '../options.ts';
import type { Vu } from '../runtime/vu.ts';
import { now } from '../runtime/clock.ts';
import { LoopGroup, delay, delayOrAbort, formatSeconds, sleepUntil, type Executor } from './common.ts';

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

export const runRampingVus: Executor<'ramping-vus'> = async (env, config) => {
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
};
