import { BUCKET_MS } from '../trial-plan.ts';

/** "Back within the baseline" means at most this far above the baseline error rate (1 percentage point). */
export const RECOVERY_MARGIN = 0.01;
/** …for this many 1 s buckets in a row. */
export const RECOVERY_RUN_SECONDS = 3;
/** Recovery is found on 1 s buckets: its resolution. */
export const RECOVERY_RESOLUTION_MS = BUCKET_MS;

export interface RecoveryInput {
  /** Per 1 s bucket from t0. */
  requests: ArrayLike<number>;
  failed: ArrayLike<number>;
  /** Fault start and window end, as offsets from t0. */
  faultOffsetMs: number;
  windowEndOffsetMs: number;
  /** Error rate of the 10 s before the fault (0 when there were no requests then). */
  baselineErrorRate: number;
  excessErrors: number;
}

/**
 * Recovery time after a fault: from its start to the start of the first of 3 consecutive seconds
 * whose error rate is ≤ baseline + 1 percentage point, searched after the error rate has left that
 * band — a burst that begins a few seconds after the fault must not count as "recovered" before it
 * began. Precisely:
 *   - 0 when the fault caused no excess errors, or no second of its window was outside the band;
 *   - otherwise the first second outside the band in the window (a second with no completed request
 *     counts as outside: nothing was served) starts the search, and the answer is the start of the
 *     first later run of 3 complete in-band seconds, minus the fault's start (never below 0);
 *   - null when no such run exists before the trial ends.
 * Resolution: 1 s (RECOVERY_RESOLUTION_MS).
 */
export function recoveryMs(input: RecoveryInput): number | null {
  if (input.excessErrors <= 0) return 0;
  const buckets = input.requests.length;
  const band = input.baselineErrorRate + RECOVERY_MARGIN;
  const inBand = (bucket: number): boolean => {
    const requests = input.requests[bucket] ?? 0;
    if (requests <= 0) return false;
    // A hair of tolerance so that a rate exactly on the band's edge is not lost to rounding.
    return (input.failed[bucket] ?? 0) / requests <= band + 1e-12;
  };
  const firstWindowBucket = Math.max(0, Math.floor(input.faultOffsetMs / BUCKET_MS));
  const lastWindowBucket = Math.min(buckets - 1, Math.ceil(input.windowEndOffsetMs / BUCKET_MS) - 1);
  let firstOutside = -1;
  for (let bucket = firstWindowBucket; bucket <= lastWindowBucket; bucket++) {
    if (!inBand(bucket)) {
      firstOutside = bucket;
      break;
    }
  }
  if (firstOutside < 0) return 0;
  for (let bucket = firstOutside + 1; bucket + RECOVERY_RUN_SECONDS - 1 < buckets; bucket++) {
    let run = 0;
    while (run < RECOVERY_RUN_SECONDS && inBand(bucket + run)) run++;
    if (run === RECOVERY_RUN_SECONDS) return Math.max(0, bucket * BUCKET_MS - input.faultOffsetMs);
    bucket += run; // the bucket after the run's break cannot start a run that includes the break
  }
  return null;
}
