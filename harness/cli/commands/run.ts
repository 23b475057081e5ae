import path from 'node:path';
import type { ArgumentsCamelCase, CommandModule } from 'yargs';
import { analyzeRun, writeResults } from '../../analysis/index.ts';
import { ENGINE_CHOICES, type EngineChoice } from '../../core/engine-choice.ts';
import { InputError } from '../../core/errors.ts';
import { REPORTS_DIR } from '../../core/paths.ts';
import { newRunId } from '../../core/run-id.ts';
import { planRun } from '../../plan/plan-run.ts';
import { executeRun } from '../../run/execute-run.ts';
import { jsonProgress, plainProgress, terminalProgress, type ProgressReporter } from '../../run/progress.ts';
import { defaultScenario, loadScenario } from '../../scenario/index.ts';
import { connectedRuntime } from '../docker.ts';
import { abortOnInterrupt, EXIT_INTERRUPTED } from '../interrupt.ts';
import { info, printError, result } from '../output.ts';

interface RunArgs {
  scenario: string | undefined;
  engine: EngineChoice | undefined;
  seed: number | undefined;
  'reports-dir': string;
  json: boolean;
}

function progressFor(args: RunArgs): ProgressReporter {
  if (args.json) return jsonProgress();
  return process.stderr.isTTY ? terminalProgress() : plainProgress();
}

export const runCommand: CommandModule<object, RunArgs> = {
  command: 'run [scenario]',
  describe: 'Run every architecture of a scenario under the same load and faults (the default comparison without one)',
  builder: (yargs) =>
    yargs
      .positional('scenario', { type: 'string', describe: 'A scenario file (YAML or JSON); default: harness/scenarios/default.yaml' })
      .option('engine', { type: 'string', choices: ENGINE_CHOICES, describe: "Overrides the scenario's load engine" })
      .option('seed', { type: 'number', describe: "Overrides the scenario's seed" })
      .option('reports-dir', { type: 'string', default: REPORTS_DIR, describe: 'Where run directories are written' })
      .option('json', { type: 'boolean', default: false, describe: 'Progress as JSON lines on stdout' })
      .example('$0 run', 'the default comparison: stateful vs stateless, kill then scale out')
      .example('$0 run harness/scenarios/every-fault.yaml --engine builtin', 'every fault action'),
  handler: async (args: ArgumentsCamelCase<RunArgs>) => {
    if (args.seed !== undefined && !Number.isSafeInteger(args.seed)) throw new InputError('--seed', args.seed, 'an integer');
    // Validated before anything starts: a bad scenario never creates a container.
    const scenario = args.scenario === undefined ? await defaultScenario() : await loadScenario(args.scenario);
    const plan = planRun(scenario, newRunId(), {
      ...(args.engine !== undefined ? { engine: args.engine } : {}),
      ...(args.seed !== undefined ? { seed: args.seed } : {}),
    });
    const runtime = await connectedRuntime();
    const interrupt = abortOnInterrupt();
    try {
      const outcome = await executeRun(plan, {
        reportsDir: path.resolve(args['reports-dir']),
        runtime,
        progress: progressFor(args),
        signal: interrupt.signal,
      });
      if (outcome.trials.some((t) => t.t0 !== null)) {
        try {
          const results = await analyzeRun(outcome.dir);
          await writeResults(outcome.dir, results);
          info(`results: ${path.join(outcome.dir, 'results.json')}`);
        } catch (error) {
          info('the analysis failed; the raw files are kept:');
          printError(error);
          process.exitCode = 2;
        }
      }
      if (!args.json) result(outcome.dir);
      if (outcome.status === 'interrupted') process.exitCode = EXIT_INTERRUPTED;
      else if (outcome.error !== undefined) throw outcome.error;
    } finally {
      interrupt.dispose();
    }
  },
};
