import type { ArgumentsCamelCase, Argv, CommandModule } from 'yargs';
import { K6_EXIT, type LoadEngine } from '../../load/contract.ts';
import { ENGINE_CHOICES, selectEngine, type EngineChoice } from '../../load/engine.ts';
import { runLoadCommand } from '../../load/load-command.ts';
import { loadRunOptions, MAX_ITERATIONS, type LoadArgs } from '../../load/load-flags.ts';
import { K6ConfigError } from '../../load/metrics/errors.ts';
import { MAX_LOAD_MS, MAX_VUS } from '../../scenario/schema.ts';
import { abortOnInterrupt, type InterruptMessages } from '../interrupt.ts';
import { printError } from '../output.ts';

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
  try {
    const result = await runLoadCommand(engine, { ...options, signal: deps.signal, stdout: deps.stdout, stderr: deps.stderr });
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
