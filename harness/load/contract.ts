/**
 * The seams between the parts of the load stage. The built-in engine (harness/load/builtin/) emits
 * samples into a MetricSink; the k6 output layer (harness/load/metrics/) implements the sink and
 * writes k6's formats; both engines implement LoadEngine.
 */

import type { LoadEvent, LoadStart } from './load-events.ts';
import type { LoadGeneratorStats } from './load-generator-stats.ts';

export type MetricType = 'counter' | 'gauge' | 'rate' | 'trend';
/** k6's "contains": what a metric's values are. */
export type MetricContains = 'default' | 'time' | 'data';
export type Tags = Readonly<Record<string, string>>;

export interface Sample {
  metric: string;
  /** Wall-clock time of the sample, milliseconds since the Unix epoch (fractional for sub-ms). */
  time: number;
  value: number;
  tags: Tags;
  /** Non-indexed values (k6's sample metadata, e.g. `vu`/`iter` when enabled); written as data.metadata. */
  metadata?: Tags;
}

export interface MetricDefinition {
  name: string;
  type: MetricType;
  contains: MetricContains;
}

export interface MetricSink {
  /** Declares a metric; called once per name before its first sample (idempotent). */
  define(definition: MetricDefinition): void;
  add(sample: Sample): void;
}

export type EngineName = 'k6' | 'builtin';

/** k6's exit codes (errext/exitcodes in k6 v0.49); both engines return these as LoadRunResult.exitCode. */
export const K6_EXIT = Object.freeze({
  ok: 0,
  cloudTestRunFailed: 97,
  cloudFailedToGetProgress: 98,
  /** Thresholds failed at the end, or a threshold with abortOnFail stopped the run. */
  thresholdsHaveFailed: 99,
  setupTimeout: 100,
  teardownTimeout: 101,
  genericTimeout: 102,
  genericEngine: 103,
  /** Bad options: invalid thresholds, unknown metric in a threshold, bad summaryTrendStats. */
  invalidConfig: 104,
  /** Stopped by a signal (Ctrl-C) or, for us, by LoadRunOptions.signal. */
  externalAbort: 105,
  cannotStartRestApi: 106,
  scriptException: 107,
  /** exec.test.abort() or fail() in init/setup. */
  scriptAborted: 108,
} as const);

export interface LoadRunOptions {
  /** Path of the k6 script (.js or .ts). */
  script: string;
  /** `-e KEY=VAL` values, seen by the script as __ENV. */
  env: Readonly<Record<string, string>>;
  /** CLI overrides of the script's options, with k6's meaning. */
  vus?: number;
  duration?: string;
  iterations?: number;
  /** Where the k6-format NDJSON goes (`--out json=FILE`). */
  ndjsonPath?: string;
  /** Where the legacy summary export goes (`--summary-export FILE`). */
  summaryExportPath?: string;
  /**
   * Where the k6 engine writes the ES2017 bundle of the script that it hands to k6 (script-bundle.ts),
   * so that a trial records what ran; default a temporary file removed after the run. The built-in
   * engine runs the script itself and ignores this.
   */
  bundlePath?: string;
  /** Working directory for handleSummary files and relative paths. */
  cwd?: string;
  /** Aborts the run; the engine stops as k6 does on Ctrl-C and still writes its outputs. */
  signal?: AbortSignal;
  /**
   * Ends the run at once, as a second Ctrl-C would: the engine's process is killed, nothing more is
   * written, and the run's exit code is k6's for an interrupted run (105). For a run that ignored
   * `signal` too long. A built-in engine run in the caller's own process cannot be killed.
   */
  kill?: AbortSignal;
  /** The load's start and its requests, while it runs (load-events.ts). */
  onEvent?: (event: LoadEvent) => void;
  /** Progress lines (k6's "running (…)" lines), for a terminal. */
  onProgress?: (line: string) => void;
  /** Where the end-of-test summary text goes (k6 prints it on stdout). */
  stdout?: NodeJS.WritableStream;
  /** Where the engine's log lines go (k6 prints them on stderr); default process.stderr. */
  stderr?: NodeJS.WritableStream;
  /** Where the load-generator figures go as JSON (`harness load --engine-stats FILE`); the built-in engine only. */
  loadGeneratorStatsPath?: string;
}

export interface LoadRunResult {
  engine: EngineName;
  engineVersion: string;
  /** k6's exit codes: 0 ok, 99 thresholds failed (also when aborted by abortOnFail), others errors. */
  exitCode: number;
  ndjsonPath: string | undefined;
  summaryExportPath: string | undefined;
  /** The object k6 passes to handleSummary (root_group, options, state, metrics). */
  summary: unknown;
  /** Whether the engine itself was saturated during the scenarios (built-in engine only; k6 does not measure itself). */
  loadGenerator?: LoadGeneratorStats;
  /**
   * When the test began, where known: the built-in engine's own start once its test started; for k6,
   * the earliest start its NDJSON records, known only when the caller listens to `onEvent`.
   */
  start?: LoadStart;
}

export interface LoadEngine {
  readonly name: EngineName;
  /** Version string recorded in run manifests. */
  version(): Promise<string>;
  run(options: LoadRunOptions): Promise<LoadRunResult>;
}
