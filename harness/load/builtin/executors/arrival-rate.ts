/**
 * What constant-arrival-rate and ramping-arrival-rate share: iterations start on a schedule,
 * independent of how long they take (open model). Who runs a start (an idle VU, a new one, or
 * nobody: dropped) is arrival-vus.ts's job; this file keeps the pace.
 *
 * The pacer wakes, starts every iteration already due (catching up in a batch after a late
 * wake-up), then gives the event loop back until the next start, so the I/O of running iterations
 * completes between batches. Starts can be less than 1 ms apart at high rates; a pacer that waited
 * for them without yielding would run synchronously and never let an iteration finish.
 */
import type { Stage } from '../options.ts';
import { now } from '../runtime/clock.ts';
import { arrivalOffsets } from './arrival-offsets.ts';
import { ArrivalVus, type ArrivalConfig } from './arrival-vus.ts';
import { formatSeconds, sleepUntil, yieldToEventLoop, type ExecutorEnv } from './common.ts';

/**
 * The longest a batch of starts may hold the event loop: after a long stall (GC, a busy machine)
 * thousands of starts can be due, and starting each runs script code up to its first await.
 */
const MAX_BATCH_MS = 5;

/** The rates the iterations start at (per timeUnit), and how the progress line shows them. */
export interface ArrivalSchedule {
  startRate: number;
  stages: readonly Stage[];
  /** After the VUs and the time on the progress line (k6 shows a constant rate, nothing for a ramp). */
  rateText: string;
}

export async function runArrivalRate(env: ExecutorEnv, config: ArrivalConfig, { startRate, stages, rateText }: ArrivalSchedule): Promise<void> {
  const totalMs = stages.reduce((t, s) => t + s.durationMs, 0);
  const next = arrivalOffsets(startRate, stages, config.timeUnitMs);
  const vus = new ArrivalVus(env, config);
  await vus.preallocate();

  const start = now();
  const showProgress = (elapsed: number): void => {
    const { busy, owned } = vus.counts;
    env.progress.fraction = totalMs === 0 ? 1 : elapsed / totalMs;
    env.progress.detail = `${busy}/${owned} VUs  ${formatSeconds(Math.round(elapsed / 100) * 100)}/${formatSeconds(totalMs)}  ${rateText}`;
  };
  const tick = setInterval(() => showProgress(Math.min(totalMs, now() - start)), 200);
  showProgress(0);

  let offset = next();
  while (offset !== undefined && !env.ctx.abort) {
    const batchStart = now();
    let t = batchStart;
    while (offset !== undefined && start + offset <= t && t - batchStart < MAX_BATCH_MS) {
      vus.start();
      offset = next();
      t = now();
    }
    if (offset === undefined) break;
    // Between starts, a timer: Node runs none sooner than 1 ms, so at high rates each wake-up
    // starts a few iterations (up to ~1 ms late) rather than spinning on setImmediate, which would
    // burn a core the iterations and the target need. No wait when the batch was cut short.
    const due = start + offset;
    if (due > now()) await sleepUntil(due, env.ctx);
    // Timers run before I/O callbacks in the event loop: poll once first, so iterations that ended
    // meanwhile give back their VUs before the batch needs them (else they look busy: more VUs, drops).
    await yieldToEventLoop();
  }

  // As in k6, the scenario lasts its whole duration even when its last start comes earlier (a low
  // rate, a ramp down to 0): the test's duration and the rates in the summary depend on it.
  await sleepUntil(start + totalMs, env.ctx);
  env.progress.state = 'stopping';
  await vus.finish(start + totalMs + config.gracefulStopMs);
  clearInterval(tick);
  env.progress.fraction = 1;
}
