import type { SpanStats } from '../accumulate/span-stats.ts';
import type { SpanFigures } from '../results-schema.ts';

/** failed / requests, or null when there were no requests (a rate of nothing is not 0). */
export function errorRate(failed: number, requests: number): number | null {
  return requests > 0 ? Math.min(1, failed / requests) : null;
}

export function spanFigures(stats: SpanStats, t0: number): SpanFigures {
  return {
    fromMs: stats.span.from - t0,
    toMs: stats.span.to - t0,
    requests: stats.requests,
    failed: stats.failed,
    errorRate: errorRate(stats.failed, stats.requests),
    latency: stats.latency.summary(),
  };
}
