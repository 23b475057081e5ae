import type { MetricType } from '../contract.ts';
import { K6ConfigError } from './errors.ts';
import { formatGoDuration, parseK6Duration } from './go-time.ts';
import type { Sink } from './sinks.ts';
import {
  compare,
  parseThresholdExpression,
  SUPPORTED_METHODS,
  ThresholdSyntaxError,
  type ThresholdExpression,
} from './threshold-expression.ts';

/** One threshold as configured: k6's string form or its object form, normalised. */
export interface ThresholdConfig {
  source: string;
  abortOnFail: boolean;
  /** delayAbortEval in milliseconds, when given. */
  delayAbortEvalMs: number | undefined;
}

/** The thresholds of one key of `options.thresholds` (a metric or a submetric selector). */
export interface ThresholdsEntry {
  key: string;
  configs: ThresholdConfig[];
}

/**
 * Checks the shape of `options.thresholds` and normalises it. Expressions are parsed here too, so a
 * bad one fails before the run with the metric and the expression named.
 */
export function normalizeThresholdsOption(option: unknown): ThresholdsEntry[] {
  if (option === undefined || option === null) return [];
  if (typeof option !== 'object' || Array.isArray(option)) {
    throw new K6ConfigError('options.thresholds must be an object mapping metric names to arrays of thresholds');
  }
  const entries: ThresholdsEntry[] = [];
  for (const [key, list] of Object.entries(option)) {
    if (!Array.isArray(list)) {
      throw new K6ConfigError(
        `thresholds for metric "${key}" must be an array, got ${describe(list)}`,
        `write e.g. thresholds: { '${key}': ['p(95)<500'] }`,
      );
    }
    entries.push({ key, configs: list.map((item: unknown) => normalizeOne(key, item)) });
  }
  return entries;
}

function normalizeOne(key: string, item: unknown): ThresholdConfig {
  if (typeof item === 'string') {
    checkExpression(key, item);
    return { source: item, abortOnFail: false, delayAbortEvalMs: undefined };
  }
  if (typeof item !== 'object' || item === null || Array.isArray(item)) {
    throw new K6ConfigError(
      `threshold on metric "${key}" must be a string or { threshold, abortOnFail, delayAbortEval }, got ${describe(item)}`,
    );
  }
  const record = item as Record<string, unknown>;
  const { threshold, abortOnFail, delayAbortEval } = record;
  if (typeof threshold !== 'string') {
    throw new K6ConfigError(`threshold object on metric "${key}" needs a string "threshold", got ${describe(threshold)}`);
  }
  checkExpression(key, threshold);
  if (abortOnFail !== undefined && typeof abortOnFail !== 'boolean') {
    throw new K6ConfigError(`threshold "${threshold}" on metric "${key}": abortOnFail must be a boolean`);
  }
  let delayAbortEvalMs: number | undefined;
  if (delayAbortEval !== undefined && delayAbortEval !== null) {
    delayAbortEvalMs = parseK6Duration(delayAbortEval);
    if (delayAbortEvalMs === undefined) {
      throw new K6ConfigError(
        `threshold "${threshold}" on metric "${key}": delayAbortEval ${describe(delayAbortEval)} is not a duration`,
        'use a duration string such as "10s" or a number of milliseconds',
      );
    }
  }
  return { source: threshold, abortOnFail: abortOnFail === true, delayAbortEvalMs };
}

function checkExpression(key: string, source: string): void {
  try {
    parseThresholdExpression(source);
  } catch (error) {
    if (!(error instanceof ThresholdSyntaxError)) throw error;
    throw new K6ConfigError(
      `invalid threshold expression "${source}" on metric "${key}": ${error.reason}`,
      'thresholds are written like "p(95)<500", "rate<0.01", "avg<200", "count>10", "value==1"',
    );
  }
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  return typeof value === 'string' ? JSON.stringify(value) : typeof value;
}

/** A configured threshold with its parsed expression and its last verdict. */
export class Threshold {
  readonly expression: ThresholdExpression;
  /** Set by each evaluation; k6 reports `ok: !lastFailed`. */
  lastFailed = false;

  constructor(readonly config: ThresholdConfig) {
    this.expression = parseThresholdExpression(config.source);
  }

  get source(): string {
    return this.config.source;
  }
}

/** Builds the thresholds of one target, checking each method against the metric's type as k6 does. */
export function createThresholds(key: string, type: MetricType, configs: readonly ThresholdConfig[]): Threshold[] {
  return configs.map((config) => {
    const threshold = new Threshold(config);
    const supported = SUPPORTED_METHODS[type];
    if (!supported.includes(threshold.expression.method)) {
      throw new K6ConfigError(
        `invalid threshold "${config.source}" on metric "${key}": the aggregation method ` +
          `${threshold.expression.method} is not supported on a metric of type ${type}; ` +
          `supported: ${supported.map((method) => (method === 'p' ? 'p(N)' : method)).join(', ')}`,
      );
    }
    return threshold;
  });
}

/** The value a threshold's method reads from a sink (metrics/thresholds.go, Thresholds.Run). */
export function aggregateFor(sink: Sink, expression: ThresholdExpression, elapsedMs: number): number {
  switch (sink.type) {
    case 'counter':
      return expression.method === 'count' ? sink.value : sink.value / (elapsedMs / 1000);
    case 'gauge':
      return sink.value;
    case 'rate':
      // 0/0 is NaN on purpose: k6 fails a rate threshold (other than !=) on a rate with no samples.
      return sink.trues / sink.total;
    case 'trend':
      switch (expression.method) {
        case 'min':
          return sink.min;
        case 'max':
          return sink.max;
        case 'avg':
          return sink.avg;
        case 'med':
          return sink.percentile(0.5);
        default:
          return sink.percentile((expression.percentile ?? 0) / 100);
      }
  }
}

export interface ThresholdRunOutcome {
  passed: boolean;
  /** A failing threshold with abortOnFail asks to stop the run (sticky, as k6's Thresholds.Abort). */
  abort: boolean;
}

/** Evaluates one target's thresholds in order, updating lastFailed (Thresholds.runAll in k6). */
export function runThresholds(
  thresholds: readonly Threshold[],
  sink: Sink,
  elapsedMs: number,
  alreadyAborting: boolean,
): ThresholdRunOutcome {
  let passed = true;
  let abort = alreadyAborting;
  for (const threshold of thresholds) {
    const ok = compare(aggregateFor(sink, threshold.expression, elapsedMs), threshold.expression.operator, threshold.expression.value);
    threshold.lastFailed = !ok;
    if (ok) continue;
    passed = false;
    if (abort || !threshold.config.abortOnFail) continue;
    const delay = threshold.config.delayAbortEvalMs;
    abort = delay === undefined || delay < elapsedMs;
  }
  return { passed, abort };
}

/**
 * A threshold as k6's JSON output lists it in a Metric line: the bare source, or, with abortOnFail,
 * `{"threshold":…,"abortOnFail":true,"delayAbortEval":"10s"|null}` (encoding/json, no HTML escaping).
 */
export function thresholdConfigJson(config: ThresholdConfig, encodeString: (text: string) => string): string {
  if (!config.abortOnFail) return encodeString(config.source);
  const delay = config.delayAbortEvalMs === undefined ? 'null' : encodeString(formatGoDuration(config.delayAbortEvalMs));
  return `{"threshold":${encodeString(config.source)},"abortOnFail":true,"delayAbortEval":${delay}}`;
}
