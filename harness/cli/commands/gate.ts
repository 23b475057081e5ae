import path from 'node:path';
import type { ArgumentsCamelCase, CommandModule } from 'yargs';
import { CI_REPORTS, finishRun, formatVerdictText } from '../../report/index.ts';
import { readThresholdFlags, thresholdOptions } from '../../verdict/index.ts';
import { info, result } from '../output.ts';

interface GateArgs {
  'run-dir': string;
  json: boolean;
  [flag: string]: unknown;
}

/**
 * `harness gate <run-dir>`: the CI verdict. Reads results.json (analysing the raw files only when it
 * is missing), evaluates the scenario's and the flags' thresholds, writes junit.xml and summary.md,
 * prints the verdict. Exit 1 when a threshold fails, 2 on a harness error, 0 otherwise.
 */
export const gateCommand: CommandModule<object, GateArgs> = {
  command: 'gate <run-dir>',
  describe: 'Evaluate thresholds on a finished run: exit 1 when one fails, 2 on a harness error, 0 otherwise',
  builder: (yargs) =>
    thresholdOptions(
      yargs
        .positional('run-dir', { type: 'string', demandOption: true, describe: 'A run directory, e.g. reports/r20261128-214405-6072' })
        .option('json', { type: 'boolean', default: false, describe: 'Print the verdict as JSON' })
        .example('$0 gate reports/r20261128-214405-6072', "the scenario's thresholds")
        .example('$0 gate reports/r20261128-214405-6072 --max-error-rate stateless=0.01 --max-session-loss stateless=0', 'with limits from CI')
        .example("$0 gate reports/r20261128-214405-6072 --max-error-rate 'stateless:fault-windows=5%' --max-recovery-ms '*=5s'", 'over fault windows; every architecture'),
    ),
  handler: async (args: ArgumentsCamelCase<GateArgs>) => {
    const cliThresholds = readThresholdFlags(args);
    const outcome = await finishRun(path.resolve(args['run-dir']), { cliThresholds, analysis: 'if-missing', reports: CI_REPORTS });
    for (const file of outcome.written) info(`wrote ${file}`);
    if (args.json) result(JSON.stringify(outcome.verdict, null, 2));
    else result(formatVerdictText(outcome.verdict, outcome.run.runId).trimEnd());
    process.exitCode = outcome.exitCode;
  },
};
