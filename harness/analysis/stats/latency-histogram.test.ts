import { describe, expect, it } from 'vitest';
import { LatencyHistogram } from './latency-histogram.ts';

describe('LatencyHistogram', () => {
  it('gives nearest-rank percentiles within 0.1 % and the exact max', () => {
    const histogram = new LatencyHistogram();
    const values = Array.from({ length: 10_000 }, (_, i) => 0.25 + ((i * 7919) % 10_000) * 0.731);
    for (const value of values) histogram.record(value);
    const sorted = [...values].sort((a, b) => a - b);
    for (const p of [50, 95, 99]) {
      const truth = sorted[Math.round((p / 100) * sorted.length) - 1] ?? Number.NaN;
      expect(Math.abs((histogram.percentileMs(p) ?? 0) - truth)).toBeLessThanOrEqual(truth * 0.001 + 0.001);
    }
    expect(histogram.summary().maxMs).toBe(Math.max(...values));
  });

  it('merges histograms instead of averaging percentiles', () => {
    const fast = new LatencyHistogram();
    const slow = new LatencyHistogram();
    for (let i = 0; i < 900; i++) fast.record(10);
    for (let i = 0; i < 100; i++) slow.record(1000);
    const merged = new LatencyHistogram();
    merged.add(fast);
    merged.add(slow);
    // Averaging the two p90s would give 505 ms; the merged p90 is 10 ms and the merged p95 1000 ms.
    expect(merged.count).toBe(1000);
    expect(Math.abs((merged.percentileMs(90) ?? 0) - 10)).toBeLessThanOrEqual(0.01);
    expect(Math.abs((merged.percentileMs(95) ?? 0) - 1000)).toBeLessThanOrEqual(1);
    merged.reset();
    expect(merged.summary()).toEqual({ count: 0, p50Ms: null, p95Ms: null, p99Ms: null, maxMs: null });
  });

  it('keeps values beyond its initial range and treats negatives as 0', () => {
    const histogram = new LatencyHistogram();
    histogram.record(3_600_000);
    histogram.record(-1);
    expect(histogram.summary().maxMs).toBe(3_600_000);
    expect(histogram.percentileMs(50)).toBe(0);
  });
});
