/**
 * The built-in load engine: runs unmodified k6 scripts (.js and .ts, with local imports) without a
 * k6 binary, with k6's semantics and output formats.
 *
 * Design — all VUs multiplexed as async functions in one thread, not a worker per VU. The measured
 * alternatives (issue 3): a worker thread per VU blocking on Atomics.wait reached only 0.43–0.79×
 * k6's request rate and ~8 MB per VU (1.75 GB at 200 VUs), because every request crosses threads;
 * one event loop with async VUs reached 1.5–1.8× k6 at ~110 MB for 200 VUs. The price is that a
 * synchronous k6 script must become async faithfully, so the script goes through a parser-based
 * transform (transform/): every user function that calls anything becomes async and every call
 * that may block is awaited (`http.get(u).status` → `(await http.get(u)).status`, helpers that call
 * http, callbacks given to Array.prototype.map/sort/… via awaited equivalents), and each module's
 * top-level code is wrapped in a factory instantiated once per VU, so every VU has its own module
 * state, cookie jar and connections as in k6. What the transform cannot keep synchronous (getters or
 * constructors that call functions, generators, dynamic import, unsupported k6 modules …) is
 * rejected before the run with the construct, file and line, pointing to `--engine k6`.
 *
 * Layout: transform/ (load, parse, rewrite, reject), runtime/ (VUs, per-VU module instances,
 * globals, clock), k6/ and http/ (the k6 APIs, which see a VU only through k6/module-vu.ts),
 * executors/ (one file per scenario executor, registry.ts), options.ts (k6's option precedence and
 * scenario defaults), run.ts (the run's steps: prepare-run.ts, test-run.ts, run-ending.ts), and the
 * engine's own process (process-runner.ts, child-entry.ts, process-protocol.ts). Metrics,
 * thresholds, the NDJSON and the summaries come from ../metrics (K6Output); the caller's events
 * (../load-events.ts) from request-tally.ts.
 *
 * The run happens in a process of its own (process-runner.ts: plain node on an esbuild bundle), so
 * the VUs get a whole event loop and the engine's RSS is its own, and the caller's event loop (the
 * fault timeline's, in `harness run`) stays free; HARNESS_BUILTIN_IN_PROCESS=1 runs it in the calling
 * process instead, for debugging.
 */
import type { LoadEngine } from '../contract.ts';
import { runBuiltin, BUILTIN_VERSION } from './run.ts';
import { engineEntry, runInChildProcess } from './process-runner.ts';

export { UnsupportedScriptError } from './transform/problems.ts';
export { compileScript } from './transform/loader.ts';

export function createBuiltinEngine(): LoadEngine {
  return {
    name: 'builtin',
    version: async () => BUILTIN_VERSION,
    run: (options) => {
      if (process.env['HARNESS_BUILTIN_IN_PROCESS'] === '1') return runBuiltin(options);
      const entry = engineEntry();
      return runInChildProcess(entry.module, options, undefined, entry.execArgv);
    },
  };
}
