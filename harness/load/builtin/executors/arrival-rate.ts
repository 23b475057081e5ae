/**
 * constant-arrival-rate and ramping-arrival-rate: iterations start on a schedule, independent of
 * how long they take (open model). A start with no idle VU initialises one more, up to maxVUs;
 * beyond that the iteration is dropped and counted in dropped_iterations, as in k6.
 */
import type { ScenarioConfig, Stage } from '../options.ts';
import type { Vu } from '../runtime/vu.ts';
import { now } from '../runtime/clock.ts';
import { delay, delayOrAbort, formatSeconds, type ExecutorEnv } from './common.ts';

type ArrivalConfig = Extract<ScenarioConfig, { executor: 'constant-arrival-rate' | 'ramping-arrival-rate' }>;

/**
 * Start offsets (ms from the scenario start) of the iterations: the i-th starts when the integral
 * of the rate reaches i. Rates are per timeUnit and change linearly within a stage.
 */
export function arrivalOffsets(startRate: number, stages: readonly Stage[], timeUnitMs: number): () => number | undefined {
  let i = 0;
  let stageIndex = 0;
  let stageStart = 0;
  let countAtStageStart = 0;
  let from = startRate;
  return () => {
    for (;;) {
      const stage = stages[stageIndex];
      if (!stage) return undefined;
      const d = stage.durationMs;
      const r0 = from / timeUnitMs;
      const r1 = stage.target / timeUnitMs;
      const countInStage = ((r0 + r1) / 2) * d;
      const need = i - countAtStageStart;
      if (need < countInStage - 1e-9) {
        // Solve r0*x + (r1-r0)/(2d)*x^2 = need for x in [0, d].
        const a = d === 0 ? 0 : (r1 - r0) / (2 * d);
        let x: number;
        if (Math.abs(a) < 1e-15) x = r0 === 0 ? 0 : need / r0;
        else x = (-r0 + Math.sqrt(Math.max(0, r0 * r0 + 4 * a * need))) / (2 * a);
        i++;
        return stageStart + Math.min(d, Math.max(0, x));
      }
      countAtStageStart += countInStage;
      stageStart += d;
      from = stage.target;
      stageIndex++;
    }
  };
}

export async function runArrivalRate(env: ExecutorEnv, config: ArrivalConfig): Promise<void> {
  const stages: Stage[] =
    config.executor === 'constant-arrival-rate' ? [{ durationMs: config.durationMs, target: config.rate }] : config.stages;
  const startRate = config.executor === 'constant-arrival-rate' ? config.rate : config.startRate;
  const totalMs = stages.reduce((t, s) => t + s.durationMs, 0);
  const next = arrivalOffsets(startRate, stages, config.timeUnitMs);
  const idle: Vu[] = [];
  for (let i = 0; i < config.preAllocatedVUs; i++) {
    const vu = await env.pool.takeOrCreate();
    vu.enterScenario(env.scenario);
    idle.push(vu);
  }
  let owned = idle.length;
  const running = new Set<Promise<void>>();
  const busy = new Set<Vu>();
  const droppedTags = (): Record<string, string> => ({ ...env.ctx.options.tags, scenario: env.scenario.name, ...env.scenario.tags });
  const run = (vu: Vu): void => {
    busy.add(vu);
    env.stats.active++;
    const p = vu.runIteration(config.exec, env.dataFor(vu)).then(
      (outcome) => {
        if (outcome === 'full') env.stats.completed++;
        else env.stats.interrupted++;
      },
      () => {
        env.stats.interrupted++;
      },
    );
    const tracked = p.finally(() => {
      env.stats.active--;
      busy.delete(vu);
      idle.push(vu);
      running.delete(tracked);
    });
    running.add(tracked);
  };
  const start = now();
  let offset = next();
  const rateText = config.executor === 'constant-arrival-rate' ? `${(config.rate / (config.timeUnitMs / 1000)).toFixed(2)} iters/s` : '';
  const tick = setInterval(() => {
    const elapsed = Math.min(totalMs, now() - start);
    env.progress.fraction = totalMs === 0 ? 1 : elapsed / totalMs;
    env.progress.detail = `${busy.size}/${owned} VUs  ${formatSeconds(Math.round(elapsed / 100) * 100)}/${formatSeconds(totalMs)}  ${rateText}`;
  }, 200);
  env.progress.detail = `0/${owned} VUs  0s/${formatSeconds(totalMs)}  ${rateText}`;
  while (offset !== undefined && !env.ctx.abort) {
    const due = start + offset;
    const wait = due - now();
    if (wait > 1) await delay(wait - 0.5);
    if (env.ctx.abort) break;
    if (now() < due) continue;
    const vu = idle.pop();
    if (vu) {
      run(vu);
    } else if (owned < config.maxVUs) {
      owned++;
      const fresh = await env.pool.takeOrCreate();
      fresh.enterScenario(env.scenario);
      run(fresh);
    } else {
      env.ctx.emit('dropped_iterations', 1, droppedTags());
    }
    offset = next();
  }
  env.progress.state = 'stopping';
  const all = Promise.all(running);
  const graceful = await Promise.race([all.then(() => true), delayOrAbort(Math.max(0, start + totalMs + config.gracefulStopMs - now()), env.ctx).then(() => false)]);
  if (!graceful) {
    for (const vu of busy) vu.interruptIteration();
    await Promise.race([Promise.all(running), delay(250)]);
  }
  clearInterval(tick);
  for (const vu of idle) env.pool.release(vu);
  env.progress.fraction = 1;
}
