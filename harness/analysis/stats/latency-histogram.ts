import type { BucketKind } from './rolling-buckets.ts';
import * as hdr from 'hdr-histogram-js';
import type { Histogram } from 'hdr-histogram-js';

/** Latencies are recorded as integer microseconds: k6 reports milliseconds with sub-ms fractions. */
const UNITS_PER_MS = 1000;
/** HDR precision: every recorded value is kept within 0.1 % (3 significant digits). */
export const LATENCY_SIGNIFICANT_DIGITS = 3;
/** Initial range; the histogram resizes itself if a value above it arrives. 10 min > any k6 timeout. */
const HIGHEST_TRACKABLE_UNITS = 600_000 * UNITS_PER_MS;

export interface LatencySummary {
  count: number;
  p50Ms: number | null;
  p95Ms: number | null;
  p99Ms: number | null;
  maxMs: number | null;
}

/**
 * An HDR histogram of latencies in milliseconds (hdr-histogram-js, pure-JS Int32 counts: no
 * WebAssembly). Histograms are merged, and percentiles derived from the merged counts at the end,
 * never averaged. The maximum is kept exactly beside the counts, because HDR would report the top of
 * the max's bucket; percentiles are nearest-rank within 0.1 %, capped at that exact maximum.
 */
export class LatencyHistogram {
  private readonly histogram: Histogram = hdr.build({
    bitBucketSize: 32,
    autoResize: true,
    lowestDiscernibleValue: 1,
    highestTrackableValue: HIGHEST_TRACKABLE_UNITS,
    numberOfSignificantValueDigits: LATENCY_SIGNIFICANT_DIGITS,
    useWebAssembly: false,
  });
  private maxMs = Number.NEGATIVE_INFINITY;
  private recorded = 0;

  get count(): number {
    return this.recorded;
  }

  /** Negative values (clock steps) count as 0; NaN is ignored. */
  record(ms: number): void {
    if (Number.isNaN(ms)) return;
    const clamped = ms > 0 ? ms : 0;
    this.histogram.recordValue(Math.round(clamped * UNITS_PER_MS));
    if (clamped > this.maxMs) this.maxMs = clamped;
    this.recorded++;
  }

  add(other: LatencyHistogram): void {
    if (other.recorded === 0) return;
    this.histogram.add(other.histogram);
    if (other.maxMs > this.maxMs) this.maxMs = other.maxMs;
    this.recorded += other.recorded;
  }

  reset(): void {
    if (this.recorded === 0) return;
    this.histogram.reset();
    this.maxMs = Number.NEGATIVE_INFINITY;
    this.recorded = 0;
  }

  /** Percentile p (0–100) in ms, or null when nothing was recorded. */
  percentileMs(p: number): number | null {
    if (this.recorded === 0) return null;
    return Math.min(this.histogram.getValueAtPercentile(p) / UNITS_PER_MS, this.maxMs);
  }

  summary(): LatencySummary {
    return {
      count: this.recorded,
      p50Ms: this.percentileMs(50),
      p95Ms: this.percentileMs(95),
      p99Ms: this.percentileMs(99),
      maxMs: this.recorded === 0 ? null : this.maxMs,
    };
  }
}

/** Windows of 1 s latency histograms (RollingBuckets). */
export const HISTOGRAM_BUCKETS: BucketKind<LatencyHistogram> = {
  create: () => new LatencyHistogram(),
  add: (histogram, ms) => histogram.record(ms),
  reset: (histogram) => histogram.reset(),
};
