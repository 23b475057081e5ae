import type { T0Source } from '../core/run-files/index.ts';
import type { LoadStart } from '../load/load-events.ts';

export interface TrialStart {
  t0: number;
  source: T0Source;
}

/**
 * When the load began — t = 0 of every figure (glossary: "the engine's own start") — from what the
 * engine told (load/load-events.ts):
 *   - the built-in engine announces its own test start (after VU init, before setup), the time its
 *     load-generator.json records as `startedAt`;
 *   - k6 writes nothing that marks its start: its vus/vus_max gauges tick every second from the
 *     start of VU initialisation (execution/scheduler.go, emitVUsAndVUsMax), not from the test's
 *     start, and its run duration (state.testRunDurationMs) goes only to handleSummary(), not to
 *     --summary-export. The earliest start its NDJSON records — an iteration's or a request's, its
 *     time minus its duration — is the closest it tells (load/k6/output-watch.ts).
 * The engine's own start in whole milliseconds, as load-generator.json's `startedAt` has it.
 */
export function trialStart(start: LoadStart): TrialStart {
  if (start.source === 'engine') return { t0: Math.floor(start.at), source: 'engine-start' };
  return { t0: start.at, source: 'load-file' };
}
