import { createWriteStream, type WriteStream } from 'node:fs';
import { finished } from 'node:stream/promises';
import { errorExitCode, errorText } from '../core/error-text.ts';
import type { LoadEngine, LoadRunOptions } from '../load/contract.ts';
import type { LoadEvent, LoadStart } from '../load/load-events.ts';
import { runLoadCommand } from '../load/load-command.ts';
import { loadRunOptions, planFlagArgs } from '../load/load-flags.ts';
import { K6ConfigError } from '../load/metrics/errors.ts';
import type { LoadPlan } from '../plan/run-plan.ts';

export interface LoadProcess {
  /** Resolves when the load has ended: its exit code (k6's codes: 0 ok, 99 thresholds failed), and when it began, where known. */
  ended: Promise<LoadEnd>;
  /** Asks the load to stop as Ctrl-C does for k6 (outputs are still written); kills it after graceMs. */
  stop(graceMs?: number): void;
}

export interface LoadEnd {
  exitCode: number;
  start: LoadStart | undefined;
}

export interface LoadFiles {
  ndjson: string;
  summaryExport: string;
  /** Where the k6 engine keeps the bundle it gives k6 (the built-in engine runs the script itself). */
  scriptBundle: string;
  /** Where the built-in engine writes its figures about itself (k6 writes none). */
  engineStats: string;
  stdout: string;
  stderr: string;
  cwd: string;
}

/**
 * Runs a trial's load with the engine the run chose, as `harness load` would run it — the same flags,
 * outputs, stderr and exit codes, into the trial's files — and passes the engine's events (the load's
 * start, its requests) to `onEvent`. The engine does the work elsewhere (the built-in engine's VUs in
 * a process of their own, k6 in its own), so this process's event loop stays free for the fault
 * timeline; each engine's process guard kills it if this process dies first.
 */
export function startLoad(engine: LoadEngine, plan: LoadPlan, baseUrl: string, files: LoadFiles, onEvent: (event: LoadEvent) => void): LoadProcess {
  const stop = new AbortController();
  const kill = new AbortController();
  let killTimer: NodeJS.Timeout | undefined;
  const stdout = createWriteStream(files.stdout);
  const stderr = createWriteStream(files.stderr);
  const ended = runLoad(engine, plan, baseUrl, files, { signal: stop.signal, kill: kill.signal, onEvent, stdout, stderr }).finally(async () => {
    clearTimeout(killTimer);
    await Promise.all([close(stdout), close(stderr)]);
  });
  return {
    ended,
    stop(graceMs = 35_000) {
      stop.abort();
      killTimer ??= setTimeout(() => kill.abort(), graceMs);
    },
  };
}

type RunIo = Required<Pick<LoadRunOptions, 'signal' | 'kill' | 'onEvent' | 'stdout' | 'stderr'>>;

/** An error that stops the load before or as it runs is written where `harness load` writes it, with its exit code. */
async function runLoad(engine: LoadEngine, plan: LoadPlan, baseUrl: string, files: LoadFiles, io: RunIo): Promise<LoadEnd> {
  try {
    const result = await runLoadCommand(engine, { ...runOptions(plan, baseUrl, files), ...io });
    return { exitCode: result.exitCode, start: result.start };
  } catch (error) {
    io.stderr.write(errorText(error));
    return { exitCode: error instanceof K6ConfigError ? error.k6ExitCode : errorExitCode(error), start: undefined };
  }
}

/** The plan as `harness load`'s flags, checked as the command checks them. */
function runOptions(plan: LoadPlan, baseUrl: string, files: LoadFiles): LoadRunOptions {
  const env = { ...plan.env, BASE_URL: baseUrl };
  return loadRunOptions(
    {
      script: plan.script,
      engine: plan.engine,
      ...planFlagArgs(plan.flags),
      env: Object.entries(env).map(([key, value]) => `${key}=${value}`),
      out: [`json=${files.ndjson}`],
      'summary-export': files.summaryExport,
      'script-bundle': files.scriptBundle,
      'engine-stats': files.engineStats,
    },
    files.cwd,
  );
}

async function close(stream: WriteStream): Promise<void> {
  stream.end();
  await finished(stream).catch(() => undefined);
}
