import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, extname, join, resolve } from 'node:path';
import { HarnessError } from '../../core/errors.ts';
import { guardChild } from '../../core/process-guard.ts';
import { K6_EXIT, type LoadEngine, type LoadRunOptions, type LoadRunResult } from '../contract.ts';
import { bundleScript } from '../script-bundle.ts';
import { k6ExitCode } from './exit-code.ts';
import { OutputFollower } from './output-follower.ts';
import { isK6ProgressLine, lineSplitter } from './output-lines.ts';
import { k6RunArgs } from './run-args.ts';
import { exportedMetricNames, readMetricDefinitions, summaryFromExport } from './summary-import.ts';
import { k6Version } from './version.ts';

export interface K6EngineOptions {
  /** Environment of the k6 process (default process.env). The script's `-e` values are separate. */
  processEnv?: NodeJS.ProcessEnv;
  /** After SIGINT on cancel, how long k6 may take to stop (teardown, summary) before SIGKILL. */
  killGraceMs?: number;
}

const DEFAULT_KILL_GRACE_MS = 15_000;

/** Runs scripts with a real k6 binary. */
export function createK6Engine(binary: string, options: K6EngineOptions = {}): LoadEngine {
  const processEnv = options.processEnv ?? process.env;
  let version: Promise<string> | undefined;
  return {
    name: 'k6',
    version(): Promise<string> {
      version ??= k6Version(binary, processEnv);
      return version;
    },
    async run(run: LoadRunOptions): Promise<LoadRunResult> {
      const engineVersion = await this.version();
      return runK6(binary, run, { processEnv, killGraceMs: options.killGraceMs ?? DEFAULT_KILL_GRACE_MS, engineVersion });
    },
  };
}

interface RunContext {
  processEnv: NodeJS.ProcessEnv;
  killGraceMs: number;
  engineVersion: string;
}

async function runK6(binary: string, run: LoadRunOptions, context: RunContext): Promise<LoadRunResult> {
  const cwd = run.cwd ?? process.cwd();
  const ndjsonPath = run.ndjsonPath === undefined ? undefined : resolve(cwd, run.ndjsonPath);
  // k6 only writes the export when asked; we always ask, to return the summary, and remove our copy.
  // Likewise the bundle, when the caller does not keep it.
  const scratch = run.summaryExportPath === undefined || run.bundlePath === undefined ? mkdtempSync(join(tmpdir(), 'harness-k6-')) : undefined;
  const summaryExportPath = resolve(cwd, run.summaryExportPath ?? join(scratch ?? cwd, 'summary-export.json'));
  const script = resolve(cwd, run.script);
  const bundlePath = resolve(cwd, run.bundlePath ?? join(scratch ?? cwd, `${basename(script, extname(script))}.bundle.js`));
  // k6 says nothing of its start or requests while it runs: its NDJSON does, for whoever listens.
  const follower = run.onEvent !== undefined && ndjsonPath !== undefined ? new OutputFollower(ndjsonPath, run.onEvent) : undefined;
  const result = (exitCode: number, summary: unknown): LoadRunResult => ({
    engine: 'k6',
    engineVersion: context.engineVersion,
    exitCode,
    ndjsonPath,
    summaryExportPath: run.summaryExportPath === undefined ? undefined : summaryExportPath,
    summary,
    ...(follower?.start === undefined ? {} : { start: follower.start }),
  });
  try {
    if (run.signal?.aborted === true) return result(K6_EXIT.externalAbort, undefined);
    // k6 does not create directories for its outputs; the built-in engine does, so both behave alike.
    for (const path of [ndjsonPath, summaryExportPath]) if (path !== undefined) mkdirSync(dirname(path), { recursive: true });
    // k6 is given an ES2017 bundle, never the script itself: every k6 from v0.4x runs that.
    const bundle = await bundleScript(script, bundlePath);
    for (const warning of bundle.warnings) (run.stderr ?? process.stderr).write(`harness: bundling for k6: warning: ${warning}\n`);
    const args = k6RunArgs(run, { script: bundle.path, ndjson: ndjsonPath, summaryExport: summaryExportPath });
    const started = performance.now();
    follower?.follow();
    let exitCode: number;
    try {
      exitCode = await spawnK6(binary, args, cwd, run, context);
    } finally {
      await follower?.stop();
    }
    const durationMs = performance.now() - started;
    return result(exitCode, await readSummary(summaryExportPath, ndjsonPath, durationMs));
  } finally {
    if (scratch !== undefined) rmSync(scratch, { recursive: true, force: true });
  }
}

function spawnK6(binary: string, args: string[], cwd: string, run: LoadRunOptions, context: RunContext): Promise<number> {
  const stdout = run.stdout ?? process.stdout;
  const stderr = run.stderr ?? process.stderr;
  return new Promise<number>((resolvePromise, reject) => {
    // Own process group: a terminal's Ctrl-C reaches only us, and we decide what k6 gets (k6 treats
    // a second SIGINT as "abort now, skip teardown and summary").
    // Being detached, it also outlives us unless something kills it: the process guard does when
    // this process dies in a way that runs no 'exit' handler (SIGKILL, the OOM killer).
    const child = spawn(binary, args, { cwd, env: context.processEnv, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
    const guard = child.pid === undefined ? undefined : guardChild(child.pid, { group: true });
    let cancelled = false;
    let closed = false;
    let killTimer: NodeJS.Timeout | undefined;
    // The whole group, as the guard does: whatever k6 started goes with it. Not once k6 has closed:
    // its group id may then be free for another process.
    const killGroup = (): void => {
      if (closed || child.pid === undefined) return;
      try {
        process.kill(-child.pid, 'SIGKILL');
      } catch {
        child.kill('SIGKILL');
      }
    };
    const onAbort = (): void => {
      if (cancelled) return;
      cancelled = true;
      child.kill('SIGINT');
      killTimer = setTimeout(killGroup, context.killGraceMs);
    };
    const cleanup = (): void => {
      closed = true;
      if (killTimer !== undefined) clearTimeout(killTimer);
      guard?.dispose();
      run.signal?.removeEventListener('abort', onAbort);
      run.kill?.removeEventListener('abort', onKill);
      process.removeListener('exit', killGroup);
    };
    // The caller no longer waits for the graceful stop: k6 and what it started go now (exit 105).
    const onKill = (): void => {
      cancelled = true;
      killGroup();
    };

    const out = lineSplitter((line) => {
      if (run.onProgress !== undefined && isK6ProgressLine(line)) run.onProgress(line);
      else stdout.write(`${line}\n`);
    });
    const err = lineSplitter((line) => stderr.write(`${line}\n`));
    child.stdout?.setEncoding('utf8').on('data', (chunk: string) => out.push(chunk));
    child.stderr?.setEncoding('utf8').on('data', (chunk: string) => err.push(chunk));

    child.once('error', (error: NodeJS.ErrnoException) => {
      cleanup();
      reject(spawnError(binary, error));
    });
    child.once('close', (code, signal) => {
      cleanup();
      out.end();
      err.end();
      resolvePromise(k6ExitCode(code, signal, cancelled));
    });
    run.signal?.addEventListener('abort', onAbort, { once: true });
    run.kill?.addEventListener('abort', onKill, { once: true });
    if (run.kill?.aborted === true) onKill();
    process.once('exit', killGroup);
  });
}

function spawnError(binary: string, error: NodeJS.ErrnoException): HarnessError {
  return new HarnessError('E_K6_SPAWN', `could not start k6 at ${binary}: ${error.message}`, {
    hint: 'check K6_BIN or PATH, or run with --engine builtin',
    cause: error,
  });
}

async function readSummary(exportPath: string, ndjsonPath: string | undefined, durationMs: number): Promise<unknown> {
  if (!existsSync(exportPath)) return undefined;
  let exported: unknown;
  try {
    exported = JSON.parse(readFileSync(exportPath, 'utf8'));
  } catch {
    return undefined;
  }
  const definitions =
    ndjsonPath !== undefined && existsSync(ndjsonPath)
      ? await readMetricDefinitions(ndjsonPath, exportedMetricNames(exported))
      : new Map();
  return summaryFromExport(exported, { definitions, testRunDurationMs: durationMs });
}

