import { RollingBuckets } from '../stats/rolling-buckets.ts';
import { nearestRank, SAMPLE_BUCKETS, SampleList } from '../stats/sample-list.ts';
import { BASELINE_MS, FINE_BUCKET_MS, type PlannedFault, type TimeSpan } from '../trial-plan.ts';

/** The fine buckets of one fault, as recovery reads them. */
export interface FineBuckets {
  /** Bucket k covers [fault start − 10 s + k × 100 ms, … + 100 ms): the baseline is buckets 0 … baselineBuckets − 1. */
  baselineBuckets: number;
  /** Buckets from `firstComplete` (inclusive) to `endComplete` (exclusive) lie wholly inside the trial. */
  firstComplete: number;
  endComplete: number;
  requests: Float64Array;
  failed: Float64Array;
  latencyCount: Float64Array;
  /** Nearest-rank p99 of each bucket's exact latencies; NaN without samples. */
  p99Ms: Float64Array;
}

/**
 * Per fault: requests, failures and the exact p99 latency of 100 ms buckets aligned to the fault's
 * start, from the baseline's start to the end of the trial (recovery is found on them), and every
 * latency of the fault window with its time (slow requests are counted from them, once the baseline's
 * p99 is known). Memory: a few numbers per 100 ms of trial, the samples of a rolling window of
 * buckets, and the window's latencies.
 */
export class FaultFineSeries implements FineBuckets {
  readonly baselineBuckets = Math.round(BASELINE_MS / FINE_BUCKET_MS);
  readonly firstComplete: number;
  readonly endComplete: number;
  readonly requests: Float64Array;
  readonly failed: Float64Array;
  readonly latencyCount: Float64Array;
  readonly p99Ms: Float64Array;
  /** Latencies of the fault window and the times k6 stamped on them. */
  readonly windowLatencies = new SampleList();
  readonly windowTimes = new SampleList();
  private readonly origin: number;
  private readonly window: TimeSpan;
  private readonly samples: RollingBuckets<SampleList>;

  /** @param lateWindowBuckets how far back a latency may arrive and still count in its bucket. */
  constructor(fault: PlannedFault, t0: number, endedAt: number, lateWindowBuckets: number) {
    this.origin = fault.start - BASELINE_MS;
    this.window = fault.during;
    const buckets = Math.max(0, Math.ceil((endedAt - this.origin) / FINE_BUCKET_MS));
    this.firstComplete = Math.max(0, Math.ceil((t0 - this.origin) / FINE_BUCKET_MS));
    this.endComplete = Math.max(0, Math.floor((endedAt - this.origin) / FINE_BUCKET_MS));
    this.requests = new Float64Array(buckets);
    this.failed = new Float64Array(buckets);
    this.latencyCount = new Float64Array(buckets);
    this.p99Ms = new Float64Array(buckets).fill(Number.NaN);
    this.samples = new RollingBuckets(SAMPLE_BUCKETS, lateWindowBuckets, (bucket, samples) => {
      if (bucket >= buckets) return;
      this.latencyCount[bucket] = samples.length;
      this.p99Ms[bucket] = nearestRank(samples.sorted(), 99);
    });
  }

  request(timeMs: number, value: number): void {
    const bucket = this.bucketOf(timeMs);
    if (bucket >= 0) this.requests[bucket] = (this.requests[bucket] ?? 0) + value;
  }

  failure(timeMs: number, value: number): void {
    const bucket = this.bucketOf(timeMs);
    if (bucket >= 0) this.failed[bucket] = (this.failed[bucket] ?? 0) + value;
  }

  /** A latency point; false when it came too late for its bucket (it still counts in the window). */
  latency(timeMs: number, ms: number): boolean {
    if (timeMs >= this.window.from && timeMs < this.window.to) {
      this.windowLatencies.push(ms);
      this.windowTimes.push(timeMs);
    }
    const bucket = this.bucketOf(timeMs);
    return bucket < 0 || this.samples.record(bucket, ms);
  }

  finish(): void {
    this.samples.closeAll();
  }

  private bucketOf(timeMs: number): number {
    const bucket = Math.floor((timeMs - this.origin) / FINE_BUCKET_MS);
    return bucket < this.requests.length ? bucket : -1;
  }
}
