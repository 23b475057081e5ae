/**
 * Runs the engine in a process of its own: plain `node` on a bundle of child-entry.ts (built once
 * with esbuild into .harness-cache/). Why: the harness process runs under tsx and drives faults and
 * Docker at the same time; a dedicated process gives the VUs a whole event loop, skips tsx's
 * per-function overhead and its ~30 MB loader, and its RSS is the engine's own. If the bundle
 * cannot be built, child-entry.ts runs under tsx instead: slower to start, but still a process of its
 * own, so that `harness run`, which drives the engine itself, keeps its event loop for the faults.
 *
 * A script that never yields holds the engine's only thread, so this side enforces the deadlines:
 * the engine reports each phase's (phase-deadlines.ts), and past one this process SIGKILLs the engine
 * and returns k6's exit code for that phase, with an ERRO line that names the phase and the bound.
 * What the engine had written stays: the NDJSON writer hands its buffer to the kernel at least every
 * 200 ms, so only the points of the last ~200 ms before the script got stuck are lost, and the file
 * holds whole lines. There is no summary then. A run in-process (HARNESS_BUILTIN_IN_PROCESS=1) has no
 * such guard. A process guard (core/process-guard.ts) kills the engine if this process dies first,
 * and LoadRunOptions.kill kills it at once.
 */
import { fork } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, renameSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildSync } from 'esbuild';
import { guardChild } from '../../core/process-guard.ts';
import { tsxExecArgv } from '../../core/tsx-loader.ts';
import { K6_EXIT, type LoadRunOptions, type LoadRunResult } from '../contract.ts';
import type { LoadStart } from '../load-events.ts';
import { DEADLINE_MARGIN_MS, deadlineExitCode, deadlineMessage, initDeadline, type PhaseDeadline } from './phase-deadlines.ts';
import { deserializeError, type ChildMessage, type ParentMessage } from './process-protocol.ts';
import { BUILTIN_VERSION } from './run.ts';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const REPO_ROOT = path.resolve(HERE, '../../..');

/**
 * A hash of the engine's sources, so a changed engine gets a fresh bundle: the whole load stage (the
 * engine imports the contract, the metrics, the request counter …) and core (its errors).
 */
function sourceHash(): string {
  const hash = createHash('sha256');
  const visit = (dir: string): void => {
    for (const name of readdirSync(dir).sort()) {
      const full = path.join(dir, name);
      if (statSync(full).isDirectory()) visit(full);
      else if (name.endsWith('.ts') && !name.endsWith('.test.ts')) hash.update(full).update(readFileSync(full));
    }
  };
  visit(path.resolve(HERE, '..'));
  visit(path.resolve(HERE, '../../core'));
  return hash.digest('hex').slice(0, 16);
}

let bundlePath: string | undefined;

const MAX_TIMER_MS = 2 ** 31 - 1;

/** Builds (or reuses) the child bundle; undefined when it cannot be built. */
export function childBundle(): string | undefined {
  if (bundlePath && existsSync(bundlePath)) return bundlePath;
  try {
    const dir = path.join(REPO_ROOT, '.harness-cache');
    mkdirSync(dir, { recursive: true });
    const target = path.join(dir, `builtin-engine-${sourceHash()}.mjs`);
    if (!existsSync(target)) {
      const tmp = `${target}.${process.pid}.tmp`;
      buildSync({
        entryPoints: [path.join(HERE, 'child-entry.ts')],
        bundle: true,
        platform: 'node',
        format: 'esm',
        target: 'node20',
        packages: 'external',
        outfile: tmp,
        logLevel: 'silent',
      });
      renameSync(tmp, target);
    }
    bundlePath = target;
    return target;
  } catch {
    return undefined;
  }
}

export interface EngineEntry {
  module: string;
  execArgv: string[];
}

/** What the engine's process runs: the bundle, or without one its sources. */
export function engineEntry(): EngineEntry {
  const bundle = childBundle();
  return bundle === undefined ? sourceEntry() : { module: bundle, execArgv: [] };
}

/** child-entry.ts under tsx. */
export function sourceEntry(): EngineEntry {
  return { module: path.join(HERE, 'child-entry.ts'), execArgv: tsxExecArgv() };
}

/** `onSpawn` gets the engine process's pid (the benchmark samples its RSS). */
export function runInChildProcess(bundle: string, options: LoadRunOptions, onSpawn?: (pid: number) => void, execArgv: readonly string[] = []): Promise<LoadRunResult> {
  const forkedAt = Date.now();
  const child = fork(bundle, [], { cwd: options.cwd ?? process.cwd(), stdio: ['ignore', 'pipe', 'pipe', 'ipc'], execArgv: [...execArgv] });
  const guard = child.pid === undefined ? undefined : guardChild(child.pid);
  if (child.pid !== undefined) onSpawn?.(child.pid);
  child.stdout?.pipe(options.stdout ?? process.stdout, { end: false });
  child.stderr?.pipe(options.stderr ?? process.stderr, { end: false });
  const { signal, kill, onProgress, onEvent, stdout: _o, stderr: _e, ...serializable } = options;
  const onAbort = (): void => {
    if (child.connected) child.send({ type: 'abort' } satisfies ParentMessage);
  };
  signal?.addEventListener('abort', onAbort, { once: true });
  let killedOnRequest = false;
  const onKill = (): void => {
    killedOnRequest = true;
    child.kill('SIGKILL');
  };
  kill?.addEventListener('abort', onKill, { once: true });

  // The current phase's deadline; the init phase's is armed here, since init code runs before the
  // engine can say anything.
  let deadlineTimer: NodeJS.Timeout | undefined;
  let killedIn: PhaseDeadline | undefined;
  const arm = (deadline: PhaseDeadline | undefined): void => {
    clearTimeout(deadlineTimer);
    if (deadline === undefined) return;
    const left = deadline.endBy + DEADLINE_MARGIN_MS - Date.now();
    // setTimeout fires at once past ~24.8 days; a longer test re-arms on the way.
    if (left > MAX_TIMER_MS) {
      deadlineTimer = setTimeout(() => arm(deadline), MAX_TIMER_MS);
      return;
    }
    deadlineTimer = setTimeout(() => {
      killedIn = deadline;
      child.kill('SIGKILL');
    }, Math.max(0, left));
  };
  arm(initDeadline(forkedAt));

  let outcome: { result: LoadRunResult } | { error: Error } | undefined;
  // Kept for a run that ends killed: it still began then.
  let start: LoadStart | undefined;
  child.on('message', (raw) => {
    const m = raw as ChildMessage;
    if (m.type === 'progress') onProgress?.(m.line);
    else if (m.type === 'event') {
      if (m.event.type === 'started') start = m.event.start;
      onEvent?.(m.event);
    } else if (m.type === 'phase') arm(m.deadline);
    else {
      arm(undefined);
      outcome = m.type === 'result' ? { result: m.result } : { error: deserializeError(m.error) };
      // The result is in: a handle left open in the engine's process must not hold the harness.
      setTimeout(() => child.kill('SIGKILL'), 5000).unref();
    }
  });
  child.send({ type: 'start', options: serializable, wantProgress: onProgress !== undefined, wantEvents: onEvent !== undefined } satisfies ParentMessage);
  if (signal?.aborted) onAbort();
  if (kill?.aborted) onKill();
  const streamsDone = Promise.all(
    [child.stdout, child.stderr].map((s) => (s ? new Promise<void>((resolve) => s.once('close', () => resolve())) : Promise.resolve())),
  );
  return new Promise<LoadRunResult>((resolve, reject) => {
    child.once('exit', (code, sig) => {
      arm(undefined);
      guard?.dispose();
      signal?.removeEventListener('abort', onAbort);
      kill?.removeEventListener('abort', onKill);
      void streamsDone.then(() => {
        if (outcome && 'result' in outcome) resolve(outcome.result);
        else if (outcome) reject(outcome.error);
        else if (killedIn) resolve(killedAtDeadline(killedIn, options, forkedAt, start));
        else if (killedOnRequest) resolve(killedResult(K6_EXIT.externalAbort, options, start));
        else reject(new Error(`the built-in engine's process exited with ${sig ?? String(code)} before reporting a result`));
      });
    });
  });
}

/**
 * The run of an engine killed at a deadline: the error in the engine's log format, last on stderr
 * (where `harness run` looks for the engine's own words), and k6's exit code for the phase.
 */
function killedAtDeadline(deadline: PhaseDeadline, options: LoadRunOptions, forkedAt: number, start: LoadStart | undefined): LoadRunResult {
  const seconds = String(Math.floor((Date.now() - forkedAt) / 1000)).padStart(4, '0');
  (options.stderr ?? process.stderr).write(`ERRO[${seconds}] ${deadlineMessage(deadline)}\n`);
  return killedResult(deadlineExitCode(deadline.phase), options, start);
}

/** The run of a killed engine: what it had written of the NDJSON, and the start it had announced. */
function killedResult(exitCode: number, options: LoadRunOptions, start: LoadStart | undefined): LoadRunResult {
  const cwd = options.cwd ?? process.cwd();
  return {
    engine: 'builtin',
    engineVersion: BUILTIN_VERSION,
    exitCode,
    ndjsonPath: options.ndjsonPath === undefined ? undefined : path.resolve(cwd, options.ndjsonPath),
    // Neither the summary nor its export is written: the engine died before the end of the test.
    summaryExportPath: undefined,
    summary: undefined,
    ...(start === undefined ? {} : { start }),
  };
}
