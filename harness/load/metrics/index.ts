/**
 * The k6 output layer: metrics aggregation, thresholds, NDJSON (`--out json`), handleSummary data,
 * the legacy `--summary-export` file and the end-of-test text summary, in k6 v0.49's formats.
 */
export { K6Output, type K6OutputOptions, type K6OutputFinish, type K6OutputResult } from './k6-output.ts';
export {
  MetricsCollector,
  type CollectorOptions,
  type MetricDescription,
  type MetricView,
  type ThresholdEvaluation,
  type ThresholdSetup,
} from './collector.ts';
export { NdjsonWriter, type MetricDescriber, type NdjsonWriterOptions } from './ndjson-writer.ts';
export { MetricRegistry } from './registry.ts';
export { K6_BUILTIN_METRICS, EXPECTED_RESPONSE_SUBMETRIC } from './builtin-metrics.ts';
export { K6ConfigError } from './errors.ts';
export { startThresholdTimer, THRESHOLD_EVALUATION_INTERVAL_MS, type ThresholdTimerOptions } from './threshold-timer.ts';
export { normalizeThresholdsOption, type ThresholdConfig, type ThresholdsEntry } from './thresholds.ts';
export { parseThresholdExpression, type ThresholdExpression } from './threshold-expression.ts';
export { parseMetricSelector, type MetricSelector, type SubmetricSelector } from './selector.ts';
export { buildSummaryData, type SummaryDataOptions } from './summary-data.ts';
export { toSummaryExport, formatSummaryExport, type SummaryExport, type SummaryExportGroup } from './summary-export.ts';
export { textSummary, defaultStdoutSummary, type TextSummaryOptions } from './text-summary.ts';
export { humanizeValue, humanizeDuration, humanizeBytes } from './humanize.ts';
export { DEFAULT_SUMMARY_TREND_STATS } from './trend-stats.ts';
export { DEFAULT_TREND_EXACT_LIMIT, TrendSink } from './trend.ts';
export { parseK6Duration, formatGoDuration, createRfc3339Formatter } from './go-time.ts';
export type {
  SummaryData,
  SummaryGroup,
  SummaryCheck,
  SummaryMetric,
  SummaryOptions,
  SummaryState,
} from './summary-types.ts';
