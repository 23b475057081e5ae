import type { LatencyHistogram } from '../stats/latency-histogram.ts';

/**
 * Per 1 s bucket counters for one trial: a few numbers per second and per replica, so memory grows
 * with the trial's duration in seconds (small and bounded), never with its points.
 */
export class SecondSeries {
  readonly requests: Float64Array;
  readonly failed: Float64Array;
  readonly latencyCount: Float64Array;
  readonly p50Ms: Float64Array;
  readonly p95Ms: Float64Array;
  readonly p99Ms: Float64Array;
  readonly maxMs: Float64Array;
  /** Responses per replica id per second (app_responses with a replica tag). */
  readonly responsesByReplica: Float64Array[] = [];

  constructor(readonly buckets: number) {
    this.requests = new Float64Array(buckets);
    this.failed = new Float64Array(buckets);
    this.latencyCount = new Float64Array(buckets);
    this.p50Ms = new Float64Array(buckets).fill(Number.NaN);
    this.p95Ms = new Float64Array(buckets).fill(Number.NaN);
    this.p99Ms = new Float64Array(buckets).fill(Number.NaN);
    this.maxMs = new Float64Array(buckets).fill(Number.NaN);
  }

  addResponse(bucket: number, replicaId: number, value: number): void {
    let counts = this.responsesByReplica[replicaId];
    if (counts === undefined) {
      counts = new Float64Array(this.buckets);
      for (let id = this.responsesByReplica.length; id < replicaId; id++)
        this.responsesByReplica[id] = new Float64Array(this.buckets);
      this.responsesByReplica[replicaId] = counts;
    }
    counts[bucket] = (counts[bucket] ?? 0) + value;
  }

  /** Responses served by any replica in a bucket (the denominator of a replica's share). */
  servedIn(bucket: number): number {
    let total = 0;
    for (const counts of this.responsesByReplica) total += counts[bucket] ?? 0;
    return total;
  }

  /** Stores a closed bucket's latency figures, derived from its histogram. */
  closeLatency(bucket: number, histogram: LatencyHistogram): void {
    if (bucket < 0 || bucket >= this.buckets) return;
    const summary = histogram.summary();
    this.latencyCount[bucket] = summary.count;
    this.p50Ms[bucket] = summary.p50Ms ?? Number.NaN;
    this.p95Ms[bucket] = summary.p95Ms ?? Number.NaN;
    this.p99Ms[bucket] = summary.p99Ms ?? Number.NaN;
    this.maxMs[bucket] = summary.maxMs ?? Number.NaN;
  }
}
