import { existsSync, statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import type { ArgumentsCamelCase, Argv, CommandModule } from 'yargs';
import { InputError } from '../../core/errors.ts';
import { K6_EXIT, type LoadEngine, type LoadRunOptions } from '../../load/contract.ts';
import { ENGINE_CHOICES, selectEngine, type EngineChoice } from '../../load/engine.ts';
import { K6ConfigError } from '../../load/metrics/errors.ts';
import { parseK6Duration } from '../../load/metrics/go-time.ts';
import { MAX_LOAD_MS, MAX_VUS } from '../../scenario/schema.ts';
import { abortOnInterrupt, type InterruptMessages } from '../interrupt.ts';
import { printError } from '../output.ts';

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

/**
 * Turns the flags into run options with `k6 run`'s meaning, rejecting what k6 would reject and what
 * the harness does not support (outputs other than json=FILE). Throws InputError (exit 2).
 */
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

export interface LoadDeps {
  env: NodeJS.ProcessEnv;
  cwd: string;
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WritableStream;
  signal: AbortSignal | undefined;
  selectEngine: (choice: EngineChoice, env: NodeJS.ProcessEnv) => Promise<LoadEngine>;
}

/** Runs `harness load` and returns the exit code, which is the run's, as with `k6 run`. */
export async function runLoad(args: LoadArgs, deps: LoadDeps): Promise<number> {
  const options = loadRunOptions(args, deps.cwd);
  const engine = await deps.selectEngine(args.engine, deps.env);
  const version = await engine.version();
  deps.stderr.write(`harness load: engine ${engine.name} (${version})\n`);
  try {
    const result = await engine.run({
      ...options,
      signal: deps.signal,
      stdout: deps.stdout,
      stderr: deps.stderr,
      onProgress: (line) => deps.stderr.write(`${line}\n`),
    });
    // Said, not failed: a k6 run is still a run; its trial just has no load-generator figures. (A
    // built-in engine killed at a deadline has none either, and says why itself.)
    if (options.loadGeneratorStatsPath !== undefined && result.loadGenerator === undefined && result.engine === 'k6') {
      deps.stderr.write(`harness load: engine ${engine.name} does not measure itself; no load-generator figures written to ${options.loadGeneratorStatsPath}\n`);
    }
    return result.exitCode;
  } catch (error) {
    // k6 reports bad script configuration with its own exit code (104, or 107 for init errors).
    if (error instanceof K6ConfigError) {
      printError(error);
      return error.k6ExitCode;
    }
    throw error;
  }
}

/**
 * Ctrl-C stops the run as k6 does: the first asks for a graceful stop (outputs and summary are still
 * written), the second aborts at once with k6's exit code for an interrupted run.
 */
const K6_INTERRUPT: InterruptMessages = {
  first: () => 'harness load: stopping the run gracefully (interrupt again to abort at once)…',
  second: 'harness load: second interrupt, aborting now.',
  exitCode: K6_EXIT.externalAbort,
};

export function loadBuilder(yargs: Argv): Argv<LoadArgs> {
  return yargs
    .positional('script', { type: 'string', demandOption: true, describe: 'k6 script to run (.js or .ts)' })
    .option('engine', {
      type: 'string',
      choices: ENGINE_CHOICES,
      default: 'auto' as const,
      describe: 'k6: a k6 binary (K6_BIN or PATH); builtin: the built-in engine; auto: k6 if found, else builtin',
    })
    .option('vus', { alias: 'u', type: 'string', requiresArg: true, describe: `Number of virtual users, 1 to ${MAX_VUS.toLocaleString('en-US')} (as k6 --vus)` })
    .option('duration', { alias: 'd', type: 'string', requiresArg: true, describe: `Test duration, e.g. 30s, at most ${MAX_LOAD_MS / 3_600_000}h (as k6 --duration)` })
    .option('iterations', {
      alias: 'i',
      type: 'string',
      requiresArg: true,
      describe: `Total iterations, 1 to ${MAX_ITERATIONS.toLocaleString('en-US')} (as k6 --iterations)`,
    })
    .option('env', { alias: 'e', type: 'string', array: true, nargs: 1, describe: 'KEY=VALUE for __ENV; repeatable (as k6 --env)' })
    .option('out', { alias: 'o', type: 'string', array: true, nargs: 1, describe: 'json=FILE: write k6 NDJSON there (as k6 --out)' })
    .option('summary-export', { type: 'string', requiresArg: true, describe: 'Write the legacy summary JSON there (as k6 --summary-export)' })
    .option('script-bundle', {
      type: 'string',
      requiresArg: true,
      describe: 'Keep the ES2017 bundle of the script that k6 is given there (default: a temporary file); k6 engine only',
    })
    .option('engine-stats', {
      type: 'string',
      requiresArg: true,
      describe: "Write the load generator's figures about itself there (JSON: event-loop delay, CPU, saturated or not); builtin engine only",
    })
    .example('$0 load k6-scripts/journey.js --engine builtin -u 10 -d 30s --out json=out.ndjson', 'run a script without k6')
    .epilog(
      "Exit codes are k6's: 0 ok, 99 thresholds failed, 100 setup timed out, 101 teardown timed out, 102 the script did not yield by its deadline " +
        '(the built-in engine was killed), 104 invalid options, 105 interrupted, 107 script error.',
    );
}

export const loadCommand: CommandModule<object, LoadArgs> = {
  command: 'load <script>',
  describe: 'Run a k6 script like `k6 run`, with real k6 or the built-in engine',
  builder: loadBuilder,
  handler: async (args: ArgumentsCamelCase<LoadArgs>) => {
    const interrupt = abortOnInterrupt(K6_INTERRUPT, (line) => process.stderr.write(`${line}\n`));
    try {
      process.exitCode = await runLoad(args, {
        env: process.env,
        cwd: process.cwd(),
        stdout: process.stdout,
        stderr: process.stderr,
        signal: interrupt.signal,
        selectEngine: (choice, env) => selectEngine(choice, env),
      });
    } finally {
      interrupt.dispose();
    }
  },
};
