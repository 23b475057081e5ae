import type { SecondSeries } from '../accumulate/second-series.ts';
import type { SecondFigures } from '../results-schema.ts';
import { BUCKET_MS } from '../trial-plan.ts';
import { errorRate } from './span-figures.ts';

const orNull = (value: number | undefined): number | null => (value === undefined || Number.isNaN(value) ? null : value);

/** One entry per 1 s bucket from t0; the last bucket may be shorter (its req/s uses its own length). */
export function secondFigures(series: SecondSeries, replicaNames: readonly string[], durationMs: number): SecondFigures[] {
  const seconds: SecondFigures[] = [];
  for (let bucket = 0; bucket < series.buckets; bucket++) {
    const bucketMs = Math.min(BUCKET_MS, durationMs - bucket * BUCKET_MS);
    const requests = series.requests[bucket] ?? 0;
    const failed = series.failed[bucket] ?? 0;
    const served = series.servedIn(bucket);
    const responsesByReplica: Record<string, number> = {};
    const shareByReplica: Record<string, number> = {};
    series.responsesByReplica.forEach((counts, id) => {
      const responses = counts[bucket] ?? 0;
      const name = replicaNames[id];
      if (responses <= 0 || name === undefined) return;
      responsesByReplica[name] = responses;
      shareByReplica[name] = responses / served;
    });
    seconds.push({
      t: bucket,
      durationMs: bucketMs,
      requests,
      reqPerSec: bucketMs > 0 ? (requests * 1000) / bucketMs : 0,
      failed,
      errorRate: errorRate(failed, requests),
      latency: {
        count: series.latencyCount[bucket] ?? 0,
        p50Ms: orNull(series.p50Ms[bucket]),
        p95Ms: orNull(series.p95Ms[bucket]),
        p99Ms: orNull(series.p99Ms[bucket]),
        maxMs: orNull(series.maxMs[bucket]),
      },
      responsesByReplica,
      shareByReplica,
    });
  }
  return seconds;
}
