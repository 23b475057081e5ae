import type { MetricsCollector, MetricView } from './collector.ts';
import type { GroupNode } from './group-tree.ts';
import type { SummaryData, SummaryGroup, SummaryMetric } from './summary-types.ts';
import { DEFAULT_SUMMARY_TREND_STATS, trendStatResolvers, type TrendStatResolver } from './trend-stats.ts';

export interface SummaryDataOptions {
  /** How long the test ran, in ms; counters' rates are count / this. */
  testRunDurationMs: number;
  summaryTrendStats?: readonly string[];
  summaryTimeUnit?: string;
  noColor?: boolean;
  isStdOutTTY?: boolean;
  isStdErrTTY?: boolean;
  /** What setup() returned; `setup_data` is left out when undefined, as in k6. */
  setupData?: unknown;
}

/**
 * Builds the handleSummary() object from the collector's current state (js/summary.go in k6). It
 * reads threshold verdicts as they stand: run the final evaluation first.
 */
export function buildSummaryData(collector: MetricsCollector, options: SummaryDataOptions): SummaryData {
  const trendStats = [...(options.summaryTrendStats ?? DEFAULT_SUMMARY_TREND_STATS)];
  const resolvers = trendStatResolvers(trendStats);
  const metrics: Record<string, SummaryMetric> = {};
  for (const metric of collector.observedMetrics()) {
    metrics[metric.name] = summarizeMetric(metric, options.testRunDurationMs, resolvers);
  }
  const data: SummaryData = {
    root_group: exportGroup(collector.rootGroup),
    options: {
      summaryTrendStats: trendStats,
      summaryTimeUnit: options.summaryTimeUnit ?? '',
      noColor: options.noColor ?? false,
    },
    state: {
      isStdOutTTY: options.isStdOutTTY ?? false,
      isStdErrTTY: options.isStdErrTTY ?? false,
      testRunDurationMs: options.testRunDurationMs,
    },
    metrics,
  };
  if (options.setupData !== undefined) data.setup_data = options.setupData;
  return data;
}

function summarizeMetric(
  metric: MetricView,
  durationMs: number,
  resolvers: ReadonlyMap<string, TrendStatResolver>,
): SummaryMetric {
  const summary: SummaryMetric = {
    type: metric.definition.type,
    contains: metric.definition.contains,
    values: metricValues(metric, durationMs, resolvers),
  };
  if (metric.thresholds.length > 0) {
    summary.thresholds = {};
    for (const threshold of metric.thresholds) summary.thresholds[threshold.source] = { ok: !threshold.lastFailed };
  }
  return summary;
}

function metricValues(
  metric: MetricView,
  durationMs: number,
  resolvers: ReadonlyMap<string, TrendStatResolver>,
): Record<string, number> {
  const sink = metric.sink;
  switch (sink.type) {
    case 'counter':
      return { count: sink.value, rate: durationMs > 0 ? sink.value / (durationMs / 1000) : 0 };
    case 'gauge':
      return { value: sink.value, min: sink.min, max: sink.max };
    case 'rate':
      return { rate: sink.total > 0 ? sink.trues / sink.total : 0, passes: sink.trues, fails: sink.total - sink.trues };
    case 'trend': {
      const values: Record<string, number> = {};
      for (const [stat, resolve] of resolvers) values[stat] = resolve(sink);
      return values;
    }
  }
}

function exportGroup(group: GroupNode): SummaryGroup {
  return {
    name: group.name,
    path: group.path,
    id: group.id,
    groups: group.groups.map(exportGroup),
    checks: group.checks.map((check) => ({
      name: check.name,
      path: check.path,
      id: check.id,
      passes: check.passes,
      fails: check.fails,
    })),
  };
}
