import type { MetricContains, MetricType } from '../contract.ts';

/**
 * The object k6 passes to `handleSummary(data)` (k6 v0.49; see
 * shared/k6-reference/v0.49.0/handle-summary-data.json).
 */
export interface SummaryData {
  root_group: SummaryGroup;
  options: SummaryOptions;
  state: SummaryState;
  metrics: Record<string, SummaryMetric>;
  /** Present only when setup() returned something. */
  setup_data?: unknown;
}

export interface SummaryGroup {
  name: string;
  path: string;
  id: string;
  groups: SummaryGroup[];
  checks: SummaryCheck[];
}

export interface SummaryCheck {
  name: string;
  path: string;
  id: string;
  passes: number;
  fails: number;
}

export interface SummaryOptions {
  summaryTrendStats: string[];
  summaryTimeUnit: string;
  noColor: boolean;
}

export interface SummaryState {
  isStdOutTTY: boolean;
  isStdErrTTY: boolean;
  testRunDurationMs: number;
}

export interface SummaryMetric {
  type: MetricType;
  contains: MetricContains;
  /** counter: count, rate; gauge: value, min, max; rate: rate, passes, fails; trend: summaryTrendStats. */
  values: Record<string, number>;
  /** Threshold source → verdict; absent when the metric has no thresholds. */
  thresholds?: Record<string, { ok: boolean }>;
}
