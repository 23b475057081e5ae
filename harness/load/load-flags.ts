/**
 * `harness load`'s flags, which are `k6 run`'s, turned into run options with k6's meaning: what k6
 * would reject and what the harness does not support (outputs other than json=FILE) is refused with
 * an InputError (exit 2). The command reads them from its command line; a trial from its load plan.
 */
import { existsSync, statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { InputError } from '../core/errors.ts';
import type { EngineChoice } from '../core/engine-choice.ts';
import { MAX_LOAD_MS, MAX_VUS } from '../scenario/schema.ts';
import type { LoadRunOptions } from './contract.ts';
import { parseK6Duration } from './metrics/go-time.ts';

export interface LoadArgs {
  script: string;
  engine: EngineChoice;
  /** Kept as typed, so an error can quote it (yargs would turn "many" into NaN). */
  vus: string | undefined;
  duration: string | undefined;
  iterations: string | undefined;
  env: string[] | undefined;
  out: string[] | undefined;
  'summary-export': string | undefined;
  /** Optional, as 'engine-stats': callers that build LoadArgs by hand need not name it. */
  'script-bundle'?: string | undefined;
  /** Optional so callers that build LoadArgs by hand need not name it; yargs always sets it. */
  'engine-stats'?: string | undefined;
}

/** k6's rule for `--env` names (cmd/runtime_options.go). */
const ENV_NAME = /^[a-zA-Z_][a-zA-Z0-9_]*$/;

/** Throws InputError (exit 2). */
export function loadRunOptions(args: LoadArgs, cwd: string): LoadRunOptions {
  if (!isFile(resolve(cwd, args.script))) {
    throw new InputError('script', args.script, 'the path of an existing k6 script file (.js or .ts)');
  }
  const options: LoadRunOptions = { script: args.script, cwd, env: parseEnv(args.env ?? []) };
  if (args.vus !== undefined) options.vus = wholeNumber('--vus', args.vus, MAX_VUS);
  if (args.iterations !== undefined) options.iterations = wholeNumber('--iterations', args.iterations, MAX_ITERATIONS);
  if (args.duration !== undefined) {
    const ms = parseK6Duration(args.duration);
    if (ms === undefined || ms <= 0 || ms > MAX_LOAD_MS) {
      throw new InputError('--duration', args.duration, `a duration such as 30s, 1m30s or 2h, at most ${MAX_LOAD_MS / 3_600_000}h`);
    }
    options.duration = args.duration;
  }
  const outputs = args.out ?? [];
  if (outputs.length > 1) throw new InputError('--out', outputs, 'a single json=FILE output');
  const out = outputs[0];
  if (out !== undefined) {
    const match = /^json=(.+)$/.exec(out);
    if (match === null) throw new InputError('--out', out, 'json=FILE (the only k6 output the harness supports)');
    options.ndjsonPath = outputFile('--out json=', match[1]!, cwd);
  }
  if (args['summary-export'] !== undefined) options.summaryExportPath = outputFile('--summary-export', args['summary-export'], cwd);
  if (args['script-bundle'] !== undefined) options.bundlePath = outputFile('--script-bundle', args['script-bundle'], cwd);
  if (args['engine-stats'] !== undefined) options.loadGeneratorStatsPath = outputFile('--engine-stats', args['engine-stats'], cwd);
  return options;
}

/** Bounds of --iterations: at 20,000 iterations/s, about an hour and a half of load. */
export const MAX_ITERATIONS = 100_000_000;

function wholeNumber(flag: string, text: string, max: number): number {
  const value = Number(text);
  if (!/^\d+$/.test(text.trim()) || value < 1 || value > max) {
    throw new InputError(flag, text, `a whole number from 1 to ${max.toLocaleString('en-US')}`);
  }
  return value;
}

/**
 * An output path checked before the run, so that a run is not lost to a path it cannot write at the
 * end: not empty, not a directory, and in a directory (or one that can be created).
 */
function outputFile(flag: string, path: string, cwd: string): string {
  if (path === '') throw new InputError(flag, path, 'a file path');
  const target = resolve(cwd, path);
  if (isDirectory(target)) throw new InputError(flag, path, 'a file path, not a directory');
  let parent = dirname(target);
  while (!existsSync(parent)) parent = dirname(parent);
  if (!isDirectory(parent)) throw new InputError(flag, path, `a file path in a directory (${parent} is a file)`);
  return path;
}

function isFile(path: string): boolean {
  try {
    return statSync(path).isFile();
  } catch {
    return false;
  }
}

function isDirectory(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}

/** `-e KEY=VAL` as k6 reads it: the value may be empty, or absent ("-e KEY" sets KEY to ""). */
function parseEnv(pairs: readonly string[]): Record<string, string> {
  const env: Record<string, string> = {};
  for (const pair of pairs) {
    const at = pair.indexOf('=');
    const key = at === -1 ? pair : pair.slice(0, at);
    if (!ENV_NAME.test(key)) throw new InputError('-e', pair, 'KEY=VALUE with KEY made of letters, digits and _ (not starting with a digit)');
    env[key] = at === -1 ? '' : pair.slice(at + 1);
  }
  return env;
}

/** The k6 flags a load plan may carry, by every name k6 gives them. */
const PLAN_FLAGS: Readonly<Record<string, 'vus' | 'duration' | 'iterations'>> = {
  '--vus': 'vus',
  '-u': 'vus',
  '--duration': 'duration',
  '-d': 'duration',
  '--iterations': 'iterations',
  '-i': 'iterations',
};

/** A load plan's k6 flags (`--vus 10`, `--duration=30s`, …) as LoadArgs, for loadRunOptions to check. Throws InputError. */
export function planFlagArgs(flags: readonly string[]): Pick<LoadArgs, 'vus' | 'duration' | 'iterations'> {
  const args: Pick<LoadArgs, 'vus' | 'duration' | 'iterations'> = { vus: undefined, duration: undefined, iterations: undefined };
  for (let i = 0; i < flags.length; i++) {
    const flag = flags[i]!;
    const equals = flag.indexOf('=');
    const name = equals === -1 ? flag : flag.slice(0, equals);
    const key = PLAN_FLAGS[name];
    if (key === undefined) throw new InputError('load flags', flag, `one of ${Object.keys(PLAN_FLAGS).join(', ')} with its value`);
    const value = equals === -1 ? flags[++i] : flag.slice(equals + 1);
    if (value === undefined) throw new InputError('load flags', flag, `${name} followed by its value`);
    args[key] = value;
  }
  return args;
}
