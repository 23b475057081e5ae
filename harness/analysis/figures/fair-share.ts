import type { SecondSeries } from '../accumulate/second-series.ts';

/** A replica has its fair share when it serves at least this fraction of 1/N of the requests… */
export const FAIR_SHARE_FRACTION = 0.5;
/** …for this many 1 s buckets in a row. */
export const FAIR_SHARE_RUN_SECONDS = 3;

/**
 * The first 1 s bucket, from `fromBucket` on, that starts 3 buckets in a row in each of which the
 * replica served ≥ ½ × 1/N of the responses served by replicas, N = replicas in service at that
 * bucket's end (at least 1). null = not reached by the end of the trial.
 */
export function fairShareBucket(
  series: SecondSeries,
  replicaId: number,
  fromBucket: number,
  replicasInServiceAtBucketEnd: (bucket: number) => number,
): number | null {
  const counts = series.responsesByReplica[replicaId];
  if (counts === undefined) return null;
  const fair = (bucket: number): boolean => {
    const served = series.servedIn(bucket);
    if (served <= 0) return false;
    const inService = Math.max(1, replicasInServiceAtBucketEnd(bucket));
    return (counts[bucket] ?? 0) >= (FAIR_SHARE_FRACTION * served) / inService;
  };
  for (let bucket = Math.max(0, fromBucket); bucket + FAIR_SHARE_RUN_SECONDS - 1 < series.buckets; bucket++) {
    let run = 0;
    while (run < FAIR_SHARE_RUN_SECONDS && fair(bucket + run)) run++;
    if (run === FAIR_SHARE_RUN_SECONDS) return bucket;
    bucket += run;
  }
  return null;
}
