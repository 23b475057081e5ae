import { HarnessError } from '../../core/errors.ts';
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import type { MetricDefinition, MetricSink, Sample } from '../contract.ts';
import { K6_BUILTIN_METRICS } from './builtin-metrics.ts';
import { MetricsCollector, type ThresholdSetup } from './collector.ts';
import { NdjsonWriter } from './ndjson-writer.ts';
import { buildSummaryData, type SummaryDataOptions } from './summary-data.ts';
import { formatSummaryExport } from './summary-export.ts';
import type { SummaryData } from './summary-types.ts';
import { startThresholdTimer, type ThresholdTimerOptions } from './threshold-timer.ts';
import { DEFAULT_SUMMARY_TREND_STATS, trendStatResolvers } from './trend-stats.ts';

export interface K6OutputOptions {
  /** `--out json=FILE`: where to write k6's NDJSON. */
  ndjsonPath?: string;
  /** Define k6's built-in metrics up front (default true). */
  builtinMetrics?: boolean;
  /** `options.summaryTrendStats`, checked now so a bad column fails before the run. */
  summaryTrendStats?: readonly string[];
  trendExactLimit?: number;
}

export interface K6OutputFinish extends Omit<SummaryDataOptions, 'summaryTrendStats'> {
  /** `--summary-export FILE`: also write the legacy summary there. */
  summaryExportPath?: string;
}

export interface K6OutputResult {
  /** The handleSummary() argument. */
  summary: SummaryData;
  /** Metrics and submetrics whose thresholds failed at the final evaluation, sorted. */
  breached: string[];
  thresholdsFailed: boolean;
}

/**
 * Everything k6 does with metrics, behind one MetricSink: aggregation and thresholds (collector),
 * the NDJSON file, and at the end the summary object and the legacy export. The built-in engine's
 * lifecycle: `open` → define custom metrics → `configureThresholds` → `startThresholdTimer` → `add`…
 * → `finish` → handleSummary(result.summary) or print `defaultStdoutSummary(result.summary, colors)`.
 */
export class K6Output implements MetricSink {
  readonly collector: MetricsCollector;
  private readonly writer: NdjsonWriter | undefined;
  private readonly trendStats: readonly string[];
  private stopTimer: () => void = () => {};
  private finished: K6OutputResult | undefined;

  constructor(options: K6OutputOptions = {}) {
    this.trendStats = [...(options.summaryTrendStats ?? DEFAULT_SUMMARY_TREND_STATS)];
    trendStatResolvers(this.trendStats);
    this.collector = new MetricsCollector({ trendExactLimit: options.trendExactLimit });
    if (options.builtinMetrics !== false) for (const metric of K6_BUILTIN_METRICS) this.collector.define(metric);
    this.writer = options.ndjsonPath === undefined ? undefined : new NdjsonWriter(options.ndjsonPath, this.collector);
  }

  get ndjsonPath(): string | undefined {
    return this.writer?.path;
  }

  define(definition: MetricDefinition): void {
    this.collector.define(definition);
  }

  add(sample: Sample): void {
    this.collector.add(sample);
    this.writer?.add(sample);
  }

  /** See MetricsCollector.configureThresholds; throws K6ConfigError (exit 104 in k6). */
  configureThresholds(setup: ThresholdSetup): void {
    this.collector.configureThresholds(setup);
  }

  startThresholdTimer(options: ThresholdTimerOptions): void {
    this.stopTimer();
    this.stopTimer = startThresholdTimer(this.collector, options);
  }

  /**
   * Stops the timer, runs the final threshold evaluation, closes the NDJSON file, builds the summary
   * and writes the summary export when asked. Idempotent: a second call returns the first result.
   */
  async finish(options: K6OutputFinish): Promise<K6OutputResult> {
    if (this.finished !== undefined) return this.finished;
    this.stopTimer();
    const { breached } = this.collector.evaluateThresholds(options.testRunDurationMs, false);
    // The NDJSON is closed before anything can throw below, so the file is complete either way.
    await this.writer?.close();
    const summary = buildSummaryData(this.collector, { ...options, summaryTrendStats: this.trendStats });
    if (options.summaryExportPath !== undefined) {
      try {
        mkdirSync(dirname(options.summaryExportPath), { recursive: true });
        writeFileSync(options.summaryExportPath, formatSummaryExport(summary));
      } catch (error) {
        throw new HarnessError('E_K6_OUTPUT', `cannot write the summary export ${options.summaryExportPath}: ${error instanceof Error ? error.message : String(error)}`, {
          hint: 'check that the --summary-export FILE directory is writable and the disk has room',
          cause: error,
        });
      }
    }
    this.finished = { summary, breached, thresholdsFailed: breached.length > 0 };
    return this.finished;
  }

  /** Closes the NDJSON file without a summary (a run that failed before it started). */
  async abandon(): Promise<void> {
    this.stopTimer();
    await this.writer?.close();
  }
}
