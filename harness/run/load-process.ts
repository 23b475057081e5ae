import { spawn } from 'node:child_process';
import { createWriteStream } from 'node:fs';
import path from 'node:path';
import { REPO_ROOT } from '../core/paths.ts';
import { guardChild } from '../core/process-guard.ts';
import type { LoadPlan } from '../plan/run-plan.ts';

export interface LoadProcess {
  /** Resolves with the load's exit code (k6's codes: 0 ok, 99 thresholds failed). */
  exited: Promise<number>;
  /** Asks the load to stop as Ctrl-C does for k6 (outputs are still written); kills it after graceMs. */
  stop(graceMs?: number): void;
  /** The `harness load` process's pid (undefined if it could not start). */
  pid: number | undefined;
}

const BIN = path.join(REPO_ROOT, 'harness', 'cli', 'bin.js');

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
 * Runs the load as `harness load` in a child process — the same command a user runs, for either
 * engine — so the harness's own event loop stays free for the fault timeline. A process guard kills
 * it if this process dies first, whatever kills it; its own guard then kills the engine.
 */
export function startLoad(plan: LoadPlan, baseUrl: string, files: LoadFiles): LoadProcess {
  const env = { ...plan.env, BASE_URL: baseUrl };
  const args = [
    BIN,
    'load',
    plan.script,
    '--engine',
    plan.engine,
    '--out',
    `json=${files.ndjson}`,
    '--summary-export',
    files.summaryExport,
    '--script-bundle',
    files.scriptBundle,
    '--engine-stats',
    files.engineStats,
    ...plan.flags,
    ...Object.entries(env).flatMap(([key, value]) => ['-e', `${key}=${value}`]),
  ];
  const child = spawn(process.execPath, args, { cwd: files.cwd, stdio: ['ignore', 'pipe', 'pipe'] });
  const guard = child.pid === undefined ? undefined : guardChild(child.pid);
  child.stdout.pipe(createWriteStream(files.stdout));
  child.stderr.pipe(createWriteStream(files.stderr));
  const exited = new Promise<number>((resolve) => {
    child.on('error', () => resolve(2));
    child.on('close', (code, signal) => resolve(code ?? (signal === 'SIGKILL' ? 137 : 130)));
  });
  let killTimer: NodeJS.Timeout | undefined;
  void exited.then(() => {
    clearTimeout(killTimer);
    guard?.dispose();
  });
  return {
    exited,
    pid: child.pid,
    stop(graceMs = 35_000) {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGINT');
      killTimer ??= setTimeout(() => child.kill('SIGKILL'), graceMs);
    },
  };
}
