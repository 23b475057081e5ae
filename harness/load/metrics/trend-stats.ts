import { K6ConfigError } from './errors.ts';
import type { TrendSink } from './sinks.ts';

/** k6's default summaryTrendStats. */
export const DEFAULT_SUMMARY_TREND_STATS: readonly string[] = Object.freeze(['avg', 'min', 'med', 'max', 'p(90)', 'p(95)']);

export type TrendStatResolver = (sink: Readonly<TrendSink>) => number;

const STATIC: Readonly<Record<string, TrendStatResolver>> = {
  avg: (sink) => sink.avg,
  min: (sink) => sink.min,
  med: (sink) => sink.percentile(0.5),
  max: (sink) => sink.max,
  count: (sink) => sink.count,
};
const PERCENTILE = /^p\((\d+(?:\.\d+)?)\)$/;

/**
 * Resolvers for summaryTrendStats columns: avg, min, med, max, count and p(N) with 0 ≤ N ≤ 100
 * (k6's GetResolversForTrendColumns). Throws K6ConfigError naming an unknown column.
 */
export function trendStatResolvers(stats: readonly string[]): Map<string, TrendStatResolver> {
  const resolvers = new Map<string, TrendStatResolver>();
  for (const stat of stats) {
    const fixed = STATIC[stat];
    if (fixed !== undefined) {
      resolvers.set(stat, fixed);
      continue;
    }
    const match = PERCENTILE.exec(stat);
    const percent = match === null ? Number.NaN : Number(match[1]);
    if (!(percent >= 0 && percent <= 100)) {
      throw new K6ConfigError(
        `summaryTrendStats: ${JSON.stringify(stat)} is not a valid trend column`,
        'use avg, min, med, max, count or p(N) with N between 0 and 100',
      );
    }
    resolvers.set(stat, (sink) => sink.percentile(percent / 100));
  }
  return resolvers;
}
