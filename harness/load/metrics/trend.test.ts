import { describe, expect, it } from 'vitest';
import { LogLinearHistogram } from './histogram.ts';
import { TrendSink } from './trend.ts';

/** k6 v0.49's TrendSink.P over all values. */
function k6Percentile(values: number[], fraction: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  if (sorted.length === 0) return 0;
  const rank = fraction * (sorted.length - 1);
  const low = sorted[Math.floor(rank)] as number;
  const high = sorted[Math.ceil(rank)] as number;
  return low + (high - low) * (rank - Math.floor(rank));
}

/** A deterministic pseudo-random stream (mulberry32), so tests do not depend on Math.random. */
function random(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state + 0x6d2b79f5) | 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Latency-like values: log-normal-ish, from µs to seconds, with zeros. */
function latencies(count: number, seed: number): number[] {
  const next = random(seed);
  return Array.from({ length: count }, (_, i) => (i % 17 === 0 ? 0 : Math.exp(next() * 12 - 6)));
}

describe('TrendSink', () => {
  it('is exact below the limit, with k6 interpolation', () => {
    const values = latencies(5000, 1);
    const sink = new TrendSink(10_000);
    for (const value of values) sink.add(value);
    expect(sink.isExact).toBe(true);
    for (const fraction of [0, 0.5, 0.9, 0.95, 0.999, 1]) expect(sink.percentile(fraction)).toBe(k6Percentile(values, fraction));
    expect(sink.min).toBe(Math.min(...values));
    expect(sink.max).toBe(Math.max(...values));
    expect(sink.count).toBe(5000);
  });

  it('handles 0 and 1 values as k6 does', () => {
    const sink = new TrendSink();
    expect([sink.percentile(0.95), sink.avg, sink.min, sink.max]).toEqual([0, 0, 0, 0]);
    sink.add(7);
    expect(sink.percentile(0.95)).toBe(7);
  });

  it('keeps sorting correct when values arrive after a percentile was read', () => {
    const sink = new TrendSink();
    sink.add(3);
    sink.add(1);
    expect(sink.percentile(0.5)).toBe(2);
    sink.add(0);
    expect(sink.percentile(0.5)).toBe(1);
  });

  it('folds into a histogram past the limit: bounded memory, percentiles within 0.05 %', () => {
    const values = latencies(200_000, 2);
    const sink = new TrendSink(1000);
    for (const value of values) sink.add(value);
    expect(sink.isExact).toBe(false);
    expect(sink.count).toBe(values.length);
    expect(sink.min).toBe(values.reduce((a, b) => Math.min(a, b)));
    expect(sink.max).toBe(values.reduce((a, b) => Math.max(a, b)));
    expect(sink.percentile(0)).toBe(sink.min);
    expect(sink.percentile(1)).toBe(sink.max);
    const sorted = Float64Array.from(values).sort();
    for (const fraction of [0.5, 0.9, 0.95, 0.99, 0.999]) {
      const rank = fraction * (sorted.length - 1);
      const low = sorted[Math.floor(rank)] as number;
      const exact = low + ((sorted[Math.ceil(rank)] as number) - low) * (rank - Math.floor(rank));
      expect(Math.abs(sink.percentile(fraction) - exact) / exact).toBeLessThan(0.0005);
    }
  });

  it('keeps negative values and zero in order in the histogram', () => {
    const histogram = new LogLinearHistogram();
    for (const value of [-5, -0.001, 0, 0, 0.001, 5]) histogram.add(value);
    const ranks = [0, 1, 2, 3, 4, 5].map((rank) => histogram.valueAtRank(rank));
    expect(ranks[2]).toBe(0);
    expect(ranks[3]).toBe(0);
    expect([...ranks].sort((a, b) => a - b)).toEqual(ranks);
    expect(Math.abs((ranks[0] as number) + 5) / 5).toBeLessThan(0.0005);
    expect(Math.abs((ranks[4] as number) - 0.001) / 0.001).toBeLessThan(0.0005);
  });

  it('occupies few buckets for a million latencies', () => {
    const histogram = new LogLinearHistogram();
    const next = random(3);
    for (let i = 0; i < 1_000_000; i++) histogram.add(Math.exp(next() * 14 - 7));
    expect(histogram.count).toBe(1_000_000);
    expect(histogram.bucketCount).toBeLessThan(25_000);
  });
});
