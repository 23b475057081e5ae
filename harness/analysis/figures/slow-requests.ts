import type { SampleList } from '../stats/sample-list.ts';
import { BUCKET_MS } from '../trial-plan.ts';

/** A request is slow when it takes more than this many times the baseline's p99… */
export const SLOW_FACTOR = 10;
/** …or more than this (glossary: "slower than 10× the pre-fault p99 or than 1 s"). */
export const SLOW_CEILING_MS = 1000;

export interface SlowRequests {
  /** Requests of the window slower than this are slow: min(10 × baseline p99, 1 s). */
  thresholdMs: number;
  count: number;
  /** Per second of the trial (t from t0) that had any, in order. */
  bySecond: Array<{ t: number; count: number }>;
}

/** The slow threshold: a 1 s stall is slow whatever the baseline; without a baseline p99, 1 s. */
export function slowThresholdMs(baselineP99Ms: number | null): number {
  return baselineP99Ms === null ? SLOW_CEILING_MS : Math.min(SLOW_FACTOR * baselineP99Ms, SLOW_CEILING_MS);
}

/**
 * The slow requests of a fault window, counted exactly from its latencies (not from a histogram):
 * a stall the error rate never shows (a request that waits a second and then succeeds) is here.
 */
export function slowRequests(latencies: SampleList, times: SampleList, t0: number, baselineP99Ms: number | null): SlowRequests {
  const thresholdMs = slowThresholdMs(baselineP99Ms);
  const perSecond = new Map<number, number>();
  let count = 0;
  for (let index = 0; index < latencies.length; index++) {
    if (!(latencies.at(index) > thresholdMs)) continue;
    count++;
    const second = Math.floor((times.at(index) - t0) / BUCKET_MS);
    perSecond.set(second, (perSecond.get(second) ?? 0) + 1);
  }
  const bySecond = [...perSecond].sort((a, b) => a[0] - b[0]).map(([t, n]) => ({ t, count: n }));
  return { thresholdMs, count, bySecond };
}
