/**
 * Runs the engine in a process of its own: plain `node` on a bundle of child-entry.ts (built once
 * with esbuild into .harness-cache/). Why: the harness process runs under tsx and drives faults and
 * Docker at the same time; a dedicated process gives the VUs a whole event loop, skips tsx's
 * per-function overhead and its ~30 MB loader, and its RSS is the engine's own. If the bundle
 * cannot be built, the engine runs in-process instead.
 */
import { fork } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, renameSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildSync } from 'esbuild';
import type { LoadRunOptions, LoadRunResult } from '../contract.ts';
import { deserializeError, type ChildMessage, type ParentMessage } from './process-protocol.ts';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const REPO_ROOT = path.resolve(HERE, '../../..');

/** A hash of the engine's sources, so a changed engine gets a fresh bundle. */
function sourceHash(): string {
  const hash = createHash('sha256');
  const visit = (dir: string): void => {
    for (const name of readdirSync(dir).sort()) {
      const full = path.join(dir, name);
      if (statSync(full).isDirectory()) visit(full);
      else if (name.endsWith('.ts') && !name.endsWith('.test.ts')) hash.update(full).update(readFileSync(full));
    }
  };
  visit(HERE);
  visit(path.resolve(HERE, '../metrics'));
  hash.update(readFileSync(path.resolve(HERE, '../contract.ts')));
  return hash.digest('hex').slice(0, 16);
}

let bundlePath: string | undefined;

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

/** `onSpawn` gets the engine process's pid (the benchmark samples its RSS). */
export function runInChildProcess(bundle: string, options: LoadRunOptions, onSpawn?: (pid: number) => void): Promise<LoadRunResult> {
  const child = fork(bundle, [], { cwd: options.cwd ?? process.cwd(), stdio: ['ignore', 'pipe', 'pipe', 'ipc'], execArgv: [] });
  if (child.pid !== undefined) onSpawn?.(child.pid);
  child.stdout?.pipe(options.stdout ?? process.stdout, { end: false });
  child.stderr?.pipe(options.stderr ?? process.stderr, { end: false });
  const { signal, onProgress, stdout: _o, stderr: _e, ...serializable } = options;
  const onAbort = (): void => {
    if (child.connected) child.send({ type: 'abort' } satisfies ParentMessage);
  };
  signal?.addEventListener('abort', onAbort, { once: true });
  let outcome: { result: LoadRunResult } | { error: Error } | undefined;
  child.on('message', (raw) => {
    const m = raw as ChildMessage;
    if (m.type === 'progress') onProgress?.(m.line);
    else if (m.type === 'result') outcome = { result: m.result };
    else if (m.type === 'error') outcome = { error: deserializeError(m.error) };
    // The result is in: a handle left open in the engine's process must not hold the harness.
    if (m.type !== 'progress') setTimeout(() => child.kill('SIGKILL'), 5000).unref();
  });
  child.send({ type: 'start', options: serializable, wantProgress: onProgress !== undefined } satisfies ParentMessage);
  if (signal?.aborted) onAbort();
  const streamsDone = Promise.all(
    [child.stdout, child.stderr].map((s) => (s ? new Promise<void>((resolve) => s.once('close', () => resolve())) : Promise.resolve())),
  );
  return new Promise<LoadRunResult>((resolve, reject) => {
    child.once('exit', (code, sig) => {
      signal?.removeEventListener('abort', onAbort);
      void streamsDone.then(() => {
        if (outcome && 'result' in outcome) resolve(outcome.result);
        else if (outcome) reject(outcome.error);
        else reject(new Error(`the built-in engine's process exited with ${sig ?? String(code)} before reporting a result`));
      });
    });
  });
}
