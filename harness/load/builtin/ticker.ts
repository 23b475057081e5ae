import { now } from './runtime/clock.ts';

const TICK_MS = 100;
const SECOND_MS = 990;

/**
 * Calls `everySecond` about once a second while the test runs (for the `vus` and `vus_max` samples,
 * which k6 takes each second, and the progress line), and `everyTick` every 100 ms. Its interval also
 * keeps the process alive while executors wait on unref'd timers. Returns the stop.
 */
export function startTicker(everySecond: (time: number) => void, everyTick: () => void = () => undefined): () => void {
  let lastSecond = 0;
  const interval = setInterval(() => {
    const t = now();
    if (t - lastSecond >= SECOND_MS) {
      lastSecond = t;
      everySecond(t);
    }
    everyTick();
  }, TICK_MS);
  return () => clearInterval(interval);
}
