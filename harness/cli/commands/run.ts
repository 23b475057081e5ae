import path from 'node:path';
import type { ArgumentsCamelCase, CommandModule } from 'yargs';
import { ENGINE_CHOICES, type EngineChoice } from '../../core/engine-choice.ts';
import { InputError } from '../../core/errors.ts';
import { REPORTS_DIR } from '../../core/paths.ts';
import { armReaper } from '../../cluster/reaper.ts';
import { newRunId } from '../../core/run-id.ts';
import { planRun } from '../../plan/run-plan.ts';
import { executeRun } from '../../run/execute-run.ts';
import { jsonProgress, plainProgress, terminalProgress, type ProgressReporter } from '../../run/progress.ts';
import { finishRun, formatVerdictText } from '../../report/index.ts';
import { defaultScenario, loadScenario } from '../../scenario/index.ts';
import { readThresholdFlags, thresholdOptions } from '../../verdict/index.ts';
import { openInBrowser } from '../open.ts';
import { connectedRuntime } from '../docker.ts';
import { abortOnInterrupt, EXIT_INTERRUPTED } from '../interrupt.ts';
import { info, printError, result } from '../output.ts';

interface RunArgs {
  scenario: string | undefined;
  engine: EngineChoice | undefined;
  seed: number | undefined;
  only: string[] | undefined;
  'reports-dir': string;
  json: boolean;
  open: boolean;
  [flag: string]: unknown;
}

function progressFor(args: RunArgs): ProgressReporter {
  if (args.json) return jsonProgress();
  return process.stderr.isTTY ? terminalProgress() : plainProgress();
}

export const runCommand: CommandModule<object, RunArgs> = {
  command: 'run [scenario]',
  describe: 'Run every trial (architecture or variant) of a scenario under the same load and faults (the default comparison without one)',
  builder: (yargs) =>
    thresholdOptions(yargs
      .positional('scenario', { type: 'string', describe: 'A scenario file (YAML or JSON); default: harness/scenarios/default.yaml' })
      .option('engine', { type: 'string', choices: ENGINE_CHOICES, describe: "Overrides the scenario's load engine" })
      .option('seed', { type: 'number', describe: "Overrides the scenario's seed" })
      .option('only', { type: 'string', array: true, describe: 'Run only these trials of the scenario (architecture or variant names)' })
      .option('reports-dir', { type: 'string', default: REPORTS_DIR, describe: 'Where run directories are written' })
      .option('json', { type: 'boolean', default: false, describe: 'Progress as JSON lines on stdout' })
      .option('open', { type: 'boolean', default: false, describe: 'Open report.html in a browser when done' })
      .example('$0 run --open', 'the default comparison: stateful vs stateless, kill then scale out')
      .example('$0 run harness/scenarios/every-fault.yaml --engine builtin', 'every fault action')
      .example('$0 run harness/scenarios/every-fault.yaml --only event-sourced', 'one trial of a scenario')
      .example('$0 run --max-error-rate stateless=0.01 --max-session-loss stateless=0', 'a CI gate: exit 1 when a threshold fails')),
  handler: async (args: ArgumentsCamelCase<RunArgs>) => {
    if (args.seed !== undefined && !Number.isSafeInteger(args.seed)) throw new InputError('--seed', args.seed, 'an integer');
    // Validated before anything starts: a bad scenario or threshold never creates a container.
    const cliThresholds = readThresholdFlags(args);
    const scenario = args.scenario === undefined ? await defaultScenario() : await loadScenario(args.scenario);
    const plan = planRun(scenario, newRunId(), {
      ...(args.engine !== undefined ? { engine: args.engine } : {}),
      ...(args.seed !== undefined ? { seed: args.seed } : {}),
      ...(args.only !== undefined ? { only: args.only.flatMap((names) => names.split(',')).map((name) => name.trim()) } : {}),
    });
    const runtime = await connectedRuntime();
    // Whatever ends this process from here on, the run's containers and networks go with it.
    armReaper(plan.runId);
    const interrupt = abortOnInterrupt();
    try {
      const outcome = await executeRun(plan, {
        reportsDir: path.resolve(args['reports-dir']),
        runtime,
        progress: progressFor(args),
        signal: interrupt.signal,
      });
      // Reports are written for every run, failed ones too: they say which trial did not measure
      // what it claims, and the gate they carry fails.
      let verdictExit: number;
      try {
        const finished = await finishRun(outcome.dir, { cliThresholds });
        for (const file of finished.written) info(`wrote ${file}`);
        if (!args.json) info(formatVerdictText(finished.verdict, outcome.runId).trimEnd());
        verdictExit = finished.exitCode;
        if (args.open) openInBrowser(path.join(outcome.dir, 'report.html'));
      } catch (error) {
        info('the analysis or the reports failed; the raw files are kept:');
        verdictExit = printError(error);
      }
      if (!args.json) result(outcome.dir);
      if (outcome.status === 'interrupted') process.exitCode = EXIT_INTERRUPTED;
      else if (outcome.error !== undefined) throw outcome.error;
      else process.exitCode = verdictExit;
    } finally {
      interrupt.dispose();
    }
  },
};
