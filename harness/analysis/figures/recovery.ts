import type { FineBuckets } from '../accumulate/fault-fine-series.ts';
import { FINE_BUCKET_MS } from '../trial-plan.ts';

/** The error band's floor: at least this far above the baseline's error rate (1 percentage point). */
export const RECOVERY_ERROR_MARGIN = 0.01;
/**
 * The latency band's headroom over the highest 100 ms p99 of the baseline. Without it, one ordinary
 * bucket a hair above the pre-fault maximum — which happens by chance in about one of four 3 s runs
 * at ~20 requests per bucket — would count as a relapse.
 */
export const RECOVERY_LATENCY_FACTOR = 1.5;
/** Back within the band for this long in a row. */
export const RECOVERY_RUN_MS = 3000;
/** Recovery is found on 100 ms buckets aligned to the fault's start: its resolution. */
export const RECOVERY_RESOLUTION_MS = FINE_BUCKET_MS;

const RUN_BUCKETS = Math.round(RECOVERY_RUN_MS / FINE_BUCKET_MS);

export interface RecoveryInput {
  buckets: FineBuckets;
  /** Length of the fault window, in ms. */
  windowMs: number;
  /** The baseline's error rate (the 10 s before the fault); null without requests. */
  baselineErrorRate: number | null;
}

/** The pre-fault band: the upper edge of each figure, from the 10 s before the fault. */
export interface RecoveryBand {
  /** A 100 ms bucket's error rate is in band up to this. */
  errorRate: number;
  /** A bucket's p99 is in band up to this; null when the baseline has no latency (latency is then not judged). */
  p99Ms: number | null;
  /** Consecutive buckets without any completed request that the baseline itself had (at low request rates). */
  emptyBuckets: number;
}

export interface RecoveryFigures {
  /** The later of errorsMs and latencyMs; null: either did not recover. */
  ms: number | null;
  /** The same, for the error rate alone. */
  errorsMs: number | null;
  /** The same, for the p99 latency alone. */
  latencyMs: number | null;
  band: RecoveryBand;
}

/**
 * Recovery time after a fault (glossary): from its start until the error rate, and the p99 latency,
 * on 100 ms buckets, are each back within the pre-fault band for 3 s in a row, whichever is later.
 * Buckets are aligned to the fault's start, so the answer is a whole number of 100 ms steps after it.
 *
 * The band is what the 100 ms buckets did in the 10 s before the fault:
 *   - error rate: up to the highest bucket error rate of the baseline, and at least the baseline's
 *     rate + 1 percentage point;
 *   - p99: up to 1.5 × the highest bucket p99 of the baseline (not judged without baseline latency);
 *   - a bucket without any completed request is out of the band (nothing was served), unless the
 *     baseline had runs of empty buckets at least that long (a load too light for 100 ms buckets).
 *
 * 0 when no bucket of the fault window leaves the band. Otherwise the search starts after the first
 * bucket of the window that is out of it (a burst that begins a few seconds after the fault must not
 * count as recovered before it began), and the answer is the start of the first later run of 3 s of
 * in-band buckets, all inside the trial, minus the fault's start; null when the trial ends first.
 */
export function recovery(input: RecoveryInput): RecoveryFigures {
  const { buckets } = input;
  const band = recoveryBand(buckets, input.baselineErrorRate);
  const emptyRun = emptyRunLengths(buckets);
  const served = (bucket: number): boolean => (buckets.requests[bucket] ?? 0) > 0;
  const emptyInBand = (bucket: number): boolean => (emptyRun[bucket] ?? 0) <= band.emptyBuckets;
  const errorsInBand = (bucket: number): boolean => {
    if (!served(bucket)) return emptyInBand(bucket);
    // A hair of tolerance so that a rate exactly on the band's edge is not lost to rounding.
    return (buckets.failed[bucket] ?? 0) / (buckets.requests[bucket] ?? 1) <= band.errorRate + 1e-12;
  };
  const latencyInBand = (bucket: number): boolean => {
    if (!served(bucket)) return emptyInBand(bucket);
    const p99 = buckets.p99Ms[bucket] ?? Number.NaN;
    return band.p99Ms === null || Number.isNaN(p99) || p99 <= band.p99Ms;
  };
  const windowEnd = buckets.baselineBuckets + Math.ceil(input.windowMs / FINE_BUCKET_MS);
  const errorsMs = recoveredAt(buckets, windowEnd, errorsInBand);
  const latencyMs = recoveredAt(buckets, windowEnd, latencyInBand);
  // Whichever is later, not one search on both at once: that one stops at the first 3 s in band after
  // the first bucket out of it, and so would call a trial recovered before an error burst that began
  // only after a latency spike had passed (seen: 4.5 s, while errors recovered at 8.7 s).
  return { ms: errorsMs === null || latencyMs === null ? null : Math.max(errorsMs, latencyMs), errorsMs, latencyMs, band };
}

/** The band from the baseline's complete buckets. */
export function recoveryBand(buckets: FineBuckets, baselineErrorRate: number | null): RecoveryBand {
  let errorRate = (baselineErrorRate ?? 0) + RECOVERY_ERROR_MARGIN;
  let p99 = Number.NEGATIVE_INFINITY;
  let emptyBuckets = 0;
  let run = 0;
  for (let bucket = buckets.firstComplete; bucket < Math.min(buckets.baselineBuckets, buckets.endComplete); bucket++) {
    const requests = buckets.requests[bucket] ?? 0;
    if (requests <= 0) {
      run++;
      emptyBuckets = Math.max(emptyBuckets, run);
      continue;
    }
    run = 0;
    errorRate = Math.max(errorRate, (buckets.failed[bucket] ?? 0) / requests);
    const bucketP99 = buckets.p99Ms[bucket] ?? Number.NaN;
    if (!Number.isNaN(bucketP99)) p99 = Math.max(p99, bucketP99);
  }
  return { errorRate: Math.min(1, errorRate), p99Ms: Number.isFinite(p99) ? p99 * RECOVERY_LATENCY_FACTOR : null, emptyBuckets };
}

/** For each bucket, how many buckets in a row up to and including it had no completed request. */
function emptyRunLengths(buckets: FineBuckets): Int32Array {
  const lengths = new Int32Array(buckets.requests.length);
  let run = 0;
  for (let bucket = 0; bucket < lengths.length; bucket++) {
    run = (buckets.requests[bucket] ?? 0) > 0 ? 0 : run + 1;
    lengths[bucket] = run;
  }
  return lengths;
}

function recoveredAt(buckets: FineBuckets, windowEnd: number, inBand: (bucket: number) => boolean): number | null {
  const start = Math.max(buckets.baselineBuckets, buckets.firstComplete);
  let firstOutside = -1;
  for (let bucket = start; bucket < Math.min(windowEnd, buckets.endComplete); bucket++) {
    if (!inBand(bucket)) {
      firstOutside = bucket;
      break;
    }
  }
  if (firstOutside < 0) return 0;
  for (let bucket = firstOutside + 1; bucket + RUN_BUCKETS <= buckets.endComplete; bucket++) {
    let run = 0;
    while (run < RUN_BUCKETS && inBand(bucket + run)) run++;
    if (run === RUN_BUCKETS) return (bucket - buckets.baselineBuckets) * FINE_BUCKET_MS;
    bucket += run; // the bucket after the run's break cannot start a run that includes the break
  }
  return null;
}
