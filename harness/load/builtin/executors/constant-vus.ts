/** constant-vus: a fixed number of VUs loop over iterations for a fixed duration. */
import { now } from '../runtime/clock.ts';
import { LoopGroup, formatSeconds, sleepUntil, takeVus, type Executor } from './common.ts';

export const runConstantVus: Executor<'constant-vus'> = async (env, config) => {
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
};
