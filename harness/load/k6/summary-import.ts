import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';
import type { MetricContains, MetricDefinition, MetricType } from '../contract.ts';
import { K6_BUILTIN_METRICS } from '../metrics/builtin-metrics.ts';
import { DEFAULT_SUMMARY_TREND_STATS } from '../metrics/trend-stats.ts';
import type { SummaryCheck, SummaryData, SummaryGroup, SummaryMetric } from '../metrics/summary-types.ts';

const BUILTIN = new Map(K6_BUILTIN_METRICS.map((metric) => [metric.name, metric]));
const METRIC_LINE_PREFIX = '{"type":"Metric"';

/**
 * Reads the metric definitions (type, contains) from k6's NDJSON "Metric" lines, stopping as soon as
 * every name in `wanted` is found, so a long run's file is not read to the end.
 */
export async function readMetricDefinitions(
  ndjsonPath: string,
  wanted: ReadonlySet<string>,
): Promise<Map<string, MetricDefinition>> {
  const found = new Map<string, MetricDefinition>();
  if (wanted.size === 0) return found;
  const stream = createReadStream(ndjsonPath, { encoding: 'utf8' });
  const lines = createInterface({ input: stream, crlfDelay: Infinity });
  try {
    for await (const line of lines) {
      if (!line.startsWith(METRIC_LINE_PREFIX)) continue;
      const definition = parseMetricLine(line);
      if (definition === undefined) continue;
      found.set(definition.name, definition);
      if ([...wanted].every((name) => found.has(name))) break;
    }
  } finally {
    lines.close();
    stream.destroy();
  }
  return found;
}

function parseMetricLine(line: string): MetricDefinition | undefined {
  try {
    const parsed = JSON.parse(line) as { data?: { name?: unknown; type?: unknown; contains?: unknown } };
    const { name, type, contains } = parsed.data ?? {};
    if (typeof name !== 'string' || typeof type !== 'string' || typeof contains !== 'string') return undefined;
    return { name, type: type as MetricType, contains: contains as MetricContains };
  } catch {
    return undefined;
  }
}

/** The metric names (parents of submetrics) that a summary export mentions. */
export function exportedMetricNames(exported: unknown): Set<string> {
  const metrics = asRecord(asRecord(exported)['metrics']);
  return new Set(Object.keys(metrics).map((name) => name.split('{', 1)[0] ?? name));
}

export interface ImportContext {
  definitions: ReadonlyMap<string, MetricDefinition>;
  testRunDurationMs: number;
}

/**
 * Rebuilds the handleSummary() object from real k6's legacy `--summary-export` (the inverse of k6's
 * summary wrapper), so both engines return the same shape. Types and contents come from the NDJSON
 * Metric lines when available, then from k6's built-in metrics, then from the values' keys.
 * Not recoverable from the export: the TTY flags (false), the exact test duration (the caller's
 * wall-clock measure), and summaryTimeUnit ("").
 */
export function summaryFromExport(exported: unknown, context: ImportContext): SummaryData {
  const root = asRecord(exported);
  const metrics: Record<string, SummaryMetric> = {};
  let trendStats: string[] | undefined;
  for (const [name, raw] of Object.entries(asRecord(root['metrics']))) {
    const values = asRecord(raw);
    const parent = name.split('{', 1)[0] ?? name;
    const definition = context.definitions.get(parent) ?? BUILTIN.get(parent);
    const type = definition?.type ?? inferType(values);
    const metric: SummaryMetric = { type, contains: definition?.contains ?? 'default', values: {} };
    for (const [key, value] of Object.entries(values)) {
      if (key === 'thresholds') continue;
      if (typeof value === 'number') metric.values[type === 'rate' && key === 'value' ? 'rate' : key] = value;
    }
    const thresholds = values['thresholds'];
    if (typeof thresholds === 'object' && thresholds !== null) {
      metric.thresholds = {};
      for (const [source, failed] of Object.entries(thresholds)) metric.thresholds[source] = { ok: failed !== true };
    }
    if (type === 'trend' && trendStats === undefined) trendStats = Object.keys(metric.values);
    metrics[name] = metric;
  }
  const data: SummaryData = {
    root_group: importGroup(root['root_group']),
    options: {
      summaryTrendStats: sameSet(trendStats, DEFAULT_SUMMARY_TREND_STATS) ? [...DEFAULT_SUMMARY_TREND_STATS] : (trendStats ?? [...DEFAULT_SUMMARY_TREND_STATS]),
      summaryTimeUnit: '',
      noColor: false,
    },
    state: { isStdOutTTY: false, isStdErrTTY: false, testRunDurationMs: context.testRunDurationMs },
    metrics,
  };
  if (root['setup_data'] !== undefined) data.setup_data = root['setup_data'];
  return data;
}

function inferType(values: Record<string, unknown>): MetricType {
  if ('passes' in values || 'fails' in values) return 'rate';
  if ('count' in values && 'rate' in values) return 'counter';
  if ('value' in values && !('avg' in values)) return 'gauge';
  return 'trend';
}

function importGroup(raw: unknown): SummaryGroup {
  const group = asRecord(raw);
  return {
    name: stringOf(group['name']),
    path: stringOf(group['path']),
    id: stringOf(group['id']),
    groups: Object.values(asRecord(group['groups'])).map(importGroup),
    checks: Object.values(asRecord(group['checks'])).map((check): SummaryCheck => {
      const c = asRecord(check);
      return {
        name: stringOf(c['name']),
        path: stringOf(c['path']),
        id: stringOf(c['id']),
        passes: typeof c['passes'] === 'number' ? c['passes'] : 0,
        fails: typeof c['fails'] === 'number' ? c['fails'] : 0,
      };
    }),
  };
}

function asRecord(value: unknown): Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
}

function stringOf(value: unknown): string {
  return typeof value === 'string' ? value : '';
}

function sameSet(a: readonly string[] | undefined, b: readonly string[]): boolean {
  return a !== undefined && a.length === b.length && a.every((item) => b.includes(item));
}
