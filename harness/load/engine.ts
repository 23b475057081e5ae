import { accessSync, constants, statSync } from 'node:fs';
import { delimiter, isAbsolute, join, resolve } from 'node:path';
import { HarnessError } from '../core/errors.ts';
import type { LoadEngine } from './contract.ts';
import { createK6Engine, type K6EngineOptions } from './k6/k6-engine.ts';

import type { EngineChoice } from '../core/engine-choice.ts';

export { ENGINE_CHOICES, type EngineChoice } from '../core/engine-choice.ts';

export interface K6Location {
  path: string;
  /** How it was found, for messages and run manifests. */
  source: 'K6_BIN' | 'PATH';
}

export interface EngineDeps {
  /** Loads the built-in engine (default: harness/load/builtin/index.ts, imported on demand). */
  loadBuiltin?: () => Promise<LoadEngine>;
  k6Options?: K6EngineOptions;
  /** Base for a relative K6_BIN (default process.cwd()). */
  cwd?: string;
}

/**
 * Finds k6: K6_BIN when set (it must then be an executable file: a wrong K6_BIN is an error, not a
 * reason to fall back silently), else the first executable `k6` on PATH.
 */
export function findK6(env: NodeJS.ProcessEnv, cwd = process.cwd()): K6Location | undefined {
  const fromEnv = env['K6_BIN'];
  if (fromEnv !== undefined && fromEnv !== '') {
    const path = isAbsolute(fromEnv) ? fromEnv : resolve(cwd, fromEnv);
    if (!isExecutableFile(path)) {
      throw new HarnessError('E_K6_BIN', `K6_BIN=${fromEnv} is not an executable file`, {
        hint: 'point K6_BIN at a k6 binary, or unset it; --engine builtin runs the built-in engine',
      });
    }
    return { path, source: 'K6_BIN' };
  }
  for (const dir of (env['PATH'] ?? '').split(delimiter)) {
    if (dir === '') continue;
    const path = join(dir, 'k6');
    if (isExecutableFile(path)) return { path, source: 'PATH' };
  }
  return undefined;
}

function isExecutableFile(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return statSync(path).isFile();
  } catch {
    return false;
  }
}

/**
 * Picks the engine: `k6` needs a k6 binary, `builtin` is the project's own engine, `auto` is k6 when
 * K6_BIN is set or k6 is on PATH, else builtin.
 */
export async function selectEngine(choice: EngineChoice, env: NodeJS.ProcessEnv = process.env, deps: EngineDeps = {}): Promise<LoadEngine> {
  if (choice === 'builtin') return (deps.loadBuiltin ?? loadBuiltinEngine)();
  const k6 = findK6(env, deps.cwd);
  if (k6 !== undefined) return createK6Engine(k6.path, { processEnv: env, ...deps.k6Options });
  if (choice === 'k6') {
    throw new HarnessError('E_K6_NOT_FOUND', '--engine k6: no k6 binary found (K6_BIN is not set and there is no k6 on PATH)', {
      hint: 'set K6_BIN=/path/to/k6 or put k6 on PATH, or use --engine builtin (or auto)',
      exitCode: 2,
    });
  }
  return (deps.loadBuiltin ?? loadBuiltinEngine)();
}

interface BuiltinModule {
  createBuiltinEngine(): LoadEngine;
}

// Imported on demand: the built-in engine pulls in a script compiler and an HTTP client that a k6 run
// does not need. The specifier is a variable so that this file does not depend on it at type level.
const BUILTIN_MODULE = './builtin/index.ts';

async function loadBuiltinEngine(): Promise<LoadEngine> {
  let module: unknown;
  try {
    module = await import(BUILTIN_MODULE);
  } catch (error) {
    throw new HarnessError('E_BUILTIN_UNAVAILABLE', `the built-in engine could not be loaded: ${String(error)}`, {
      hint: 'install k6 and use --engine k6',
      cause: error,
    });
  }
  if (!isBuiltinModule(module)) {
    throw new HarnessError('E_BUILTIN_UNAVAILABLE', 'the built-in engine module does not export createBuiltinEngine()', {
      hint: 'install k6 and use --engine k6',
    });
  }
  return module.createBuiltinEngine();
}

function isBuiltinModule(value: unknown): value is BuiltinModule {
  return typeof value === 'object' && value !== null && typeof (value as Partial<BuiltinModule>).createBuiltinEngine === 'function';
}
