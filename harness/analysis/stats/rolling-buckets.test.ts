import { describe, expect, it } from 'vitest';
import { HISTOGRAM_BUCKETS, type LatencyHistogram } from './latency-histogram.ts';
import { RollingBuckets } from './rolling-buckets.ts';

describe('RollingBuckets of latency histograms', () => {
  it('closes each second once, with all its points, even when points arrive out of order within the window', () => {
    const closed = new Map<number, { count: number; max: number | null }>();
    const rolling = new RollingBuckets(HISTOGRAM_BUCKETS, 4, (second: number, histogram: LatencyHistogram) => {
      expect(closed.has(second)).toBe(false);
      closed.set(second, { count: histogram.count, max: histogram.summary().maxMs });
    });
    const points: Array<[number, number]> = [
      [0, 1],
      [1, 2],
      [0, 3],
      [2, 4],
      [3, 5],
      [1, 6],
      [4, 7],
      [6, 8],
      [5, 9],
    ];
    for (const [second, ms] of points) expect(rolling.record(second, ms)).toBe(true);
    rolling.closeAll();
    expect(Object.fromEntries(closed)).toEqual({
      0: { count: 2, max: 3 },
      1: { count: 2, max: 6 },
      2: { count: 1, max: 4 },
      3: { count: 1, max: 5 },
      4: { count: 1, max: 7 },
      5: { count: 1, max: 9 },
      6: { count: 1, max: 8 },
    });
  });

  it('refuses a point older than the window, so the caller can count it', () => {
    const rolling = new RollingBuckets(HISTOGRAM_BUCKETS, 4, () => {});
    expect(rolling.record(10, 1)).toBe(true);
    expect(rolling.record(7, 1)).toBe(true);
    expect(rolling.record(6, 1)).toBe(false);
  });
});
