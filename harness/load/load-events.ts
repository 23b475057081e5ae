/**
 * What an engine tells its caller while the load runs (LoadRunOptions.onEvent), so that a trial can
 * anchor its fault timeline at the load's start and show its throughput live, without reading the
 * engine's output files. Types only: later stages `import type` them.
 */

/**
 * When the test began: t = 0 of every figure (the glossary's "the engine's own start"). `engine`: the
 * engine says so itself (the built-in engine: after VU init, before setup()); `output`: k6 says
 * nothing of its start, and this is the earliest start its NDJSON records, an iteration's or a
 * request's (the point's time minus its duration), or its first point's time if that is earlier.
 */
export interface LoadStart {
  /** Milliseconds since the Unix epoch (fractional). */
  at: number;
  source: 'engine' | 'output';
}

/** k6 samples of one second, by the samples' own time: `http_reqs`, and `http_req_failed` that are 1. */
export interface RequestCount {
  /** Seconds since the Unix epoch (the sample time, floored). */
  second: number;
  requests: number;
  failed: number;
}

export type LoadEvent =
  /** Once, as soon as the engine knows (k6: once its output shows a point outside setup()). */
  | { type: 'started'; start: LoadStart }
  /** Every few hundred ms while requests are made: what was counted since the last such event; add them up. */
  | { type: 'requests'; counts: RequestCount[] };
