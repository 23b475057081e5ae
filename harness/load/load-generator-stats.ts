/**
 * The load generator's figures about itself ("load-generator figures"): whether the engine was
 * saturated while it ran the scenarios. A saturated generator measures its own queueing as the
 * target's latency, so a trial whose figures say `saturated` has latency figures that may be
 * inflated by the load generator. The built-in engine measures these (builtin/runtime/self-monitor.ts)
 * and returns them as LoadRunResult.loadGenerator, and writes them as JSON to
 * LoadRunOptions.loadGeneratorStatsPath (`harness load --engine-stats FILE`). The k6 engine does not
 * measure itself: no figures, no file.
 *
 * Types only, so that later stages can `import type` them.
 */

export interface LoadGeneratorStats {
  schemaVersion: 1;
  engine: 'builtin';
  /** When the measured window began (the test's start, after VU init), ISO 8601; aligns `seconds` with the trial's timeline. */
  startedAt: string;
  /** The resolution of perf_hooks.monitorEventLoopDelay: delays are known to within this. */
  resolutionMs: number;
  /**
   * How late the event loop ran its timers over the whole window (time the loop was busy before it
   * could notice a timer, a response or a VU's sleep ending). Resolution already subtracted.
   */
  eventLoopDelayMs: { p50: number; p99: number; max: number; samples: number };
  /** The engine process's CPU over the window; coreFraction = (user + system) / wall, 1 = one whole core. */
  cpu: { userMs: number; systemMs: number; wallMs: number; coreFraction: number };
  /** The window cut into ~1 s slices, to see when the generator was saturated. */
  seconds: LoadGeneratorSecond[];
  /** The bounds the decision used. */
  bounds: SaturationBounds;
  /** The decision rule in words. */
  rule: string;
  saturated: boolean;
  /** Which bounds were crossed, with the figures; empty when not saturated. */
  reasons: string[];
}

export interface LoadGeneratorSecond {
  /** Start of the slice, seconds since startedAt. */
  t: number;
  /** Length of the slice: ~1000, longer when the loop was blocked past the second; the last one is shorter. */
  wallMs: number;
  delayP99Ms: number;
  delayMaxMs: number;
  coreFraction: number;
}

export interface SaturationBounds {
  /** Saturated when the whole window's event-loop delay p99 exceeds this. */
  delayP99Ms: number;
  /** Saturated when the whole window's CPU averages at least this fraction of one core… */
  coreFractionAverage: number;
  /** …or when at least `sustainedSeconds` consecutive slices each use at least this fraction of one core. */
  coreFractionSustained: number;
  sustainedSeconds: number;
  /** Slices shorter than this (the last, cut by the end of the scenarios) do not count for the sustained rule. */
  minSliceMs: number;
}
