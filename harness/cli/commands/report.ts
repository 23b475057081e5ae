import path from 'node:path';
import type { ArgumentsCamelCase, CommandModule } from 'yargs';
import { finishRun, formatVerdictText } from '../../report/index.ts';
import { readThresholdFlags, thresholdOptions } from '../../verdict/index.ts';
import { info, result } from '../output.ts';

interface ReportArgs {
  'run-dir': string;
  [flag: string]: unknown;
}

/**
 * `harness report <run-dir>`: rebuilds every output from the raw files (analysis, verdict, reports).
 * It is not a gate: it exits 0 when the files were written, whatever the verdict says.
 */
export const reportCommand: CommandModule<object, ReportArgs> = {
  command: 'report <run-dir>',
  describe: 'Rebuild results.json, report.html, summary.md and junit.xml from a run directory’s raw files',
  builder: (yargs) =>
    thresholdOptions(
      yargs
        .positional('run-dir', { type: 'string', demandOption: true, describe: 'A run directory, e.g. reports/r20261128-214405-6072' })
        .example('$0 report reports/r20261128-214405-6072', 're-analyse and re-render a run')
        .example("$0 report reports/r20261128-214405-6072 --max-error-rate 'stateless=1%'", 'with an extra threshold in the verdict'),
    ),
  handler: async (args: ArgumentsCamelCase<ReportArgs>) => {
    const cliThresholds = readThresholdFlags(args);
    const outcome = await finishRun(path.resolve(args['run-dir']), { cliThresholds, analysis: 'always' });
    for (const file of outcome.written) info(`wrote ${file}`);
    result(formatVerdictText(outcome.verdict, outcome.run.runId).trimEnd());
  },
};
