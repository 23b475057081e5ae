import { LatencyHistogram } from '../stats/latency-histogram.ts';
import { BUCKET_MS, type TimeSpan } from '../trial-plan.ts';

/** Requests, failures and latencies inside one time span (a fault's before / during / after phase). */
export class SpanStats {
  requests = 0;
  failed = 0;
  readonly latency = new LatencyHistogram();

  constructor(readonly span: TimeSpan) {}

  contains(timeMs: number): boolean {
    return timeMs >= this.span.from && timeMs < this.span.to;
  }
}

/**
 * Finds the spans that contain a time without testing every span: each 1 s bucket lists the spans
 * that overlap it, so a point is tested against the few spans near it only.
 */
export class SpanIndex {
  private readonly byBucket: SpanStats[][];
  private static readonly NONE: SpanStats[] = [];

  constructor(spans: readonly SpanStats[], t0: number, buckets: number) {
    this.byBucket = Array.from({ length: buckets }, () => []);
    for (const stats of spans) {
      if (stats.span.to <= stats.span.from) continue;
      const first = Math.max(0, Math.floor((stats.span.from - t0) / BUCKET_MS));
      const last = Math.min(buckets - 1, Math.floor((stats.span.to - 1e-9 - t0) / BUCKET_MS));
      for (let bucket = first; bucket <= last; bucket++) this.byBucket[bucket]?.push(stats);
    }
  }

  near(bucket: number): readonly SpanStats[] {
    return this.byBucket[bucket] ?? SpanIndex.NONE;
  }
}
