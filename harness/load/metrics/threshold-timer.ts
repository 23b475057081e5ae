import type { MetricsCollector } from './collector.ts';

/** k6 evaluates thresholds every 2 s during a run (metrics/engine, thresholdsRate). */
export const THRESHOLD_EVALUATION_INTERVAL_MS = 2000;

export interface ThresholdTimerOptions {
  /** Milliseconds since the test started (counters' rates and delayAbortEval use it). */
  elapsedMs: () => number;
  /** Called once, when a failing abortOnFail threshold asks to stop; `breached` names the metrics. */
  onAbort: (breached: string[]) => void;
  intervalMs?: number;
}

/**
 * Evaluates thresholds periodically, skipping metrics that have no samples yet, as k6 does. Returns
 * a function that stops the timer. The timer does not keep the process alive.
 */
export function startThresholdTimer(collector: MetricsCollector, options: ThresholdTimerOptions): () => void {
  if (!collector.hasThresholds) return () => {};
  let aborted = false;
  const timer = setInterval(() => {
    if (aborted) return;
    const { breached, abort } = collector.evaluateThresholds(options.elapsedMs(), true);
    if (!abort) return;
    aborted = true;
    options.onAbort(breached);
  }, options.intervalMs ?? THRESHOLD_EVALUATION_INTERVAL_MS);
  timer.unref();
  return () => clearInterval(timer);
}
