import path from 'node:path';
import type { ArgumentsCamelCase, CommandModule } from 'yargs';
import { HarnessError, InputError } from '../../core/errors.ts';
import { measurementProblems } from '../../verdict/index.ts';
import { compareResults, formatCompareJson, formatCompareMarkdown, formatCompareText, obtainResults } from '../../report/index.ts';
import { result } from '../output.ts';

interface CompareArgs {
  'run-a': string;
  'run-b': string;
  /** Kept as typed, so that an error can quote it (yargs would turn "abc" into NaN and "" into 0). */
  tolerance: string;
  markdown: boolean | undefined;
  json: boolean | undefined;
  'fail-on-regression': boolean;
}

/**
 * `harness compare <run-a> <run-b>`: B against the baseline A, trial by trial and figure by figure.
 * A change counts when it exceeds the tolerance (relative to A, with a floor so that a figure that
 * was 0 can regress); direction-aware (lower is better for errors, times and losses, higher for
 * throughput). Exit 1 when a regression is flagged (unless --no-fail-on-regression), 2 on a harness
 * error or when either run has a trial that did not measure what it claims, 0 otherwise. Read-only: a run without results.json is analysed in memory.
 */
/** --tolerance as a fraction ("0.1") or a percentage ("10%"), from 0 to 10 (1,000 %). */
function parseTolerance(text: string): number {
  const match = /^(\d+(?:\.\d+)?)(%?)$/.exec(text.trim());
  const value = match === null ? Number.NaN : Number(match[1]) / (match[2] === '%' ? 100 : 1);
  if (!(value >= 0 && value <= 10)) throw new InputError('--tolerance', text, 'a number from 0 to 10 or a percentage, e.g. 0.1 or 10%');
  return value;
}

export const compareCommand: CommandModule<object, CompareArgs> = {
  command: 'compare <run-a> <run-b>',
  describe: 'Compare two runs trial by trial; exit 1 when B regressed beyond the tolerance',
  builder: (yargs) =>
    yargs
      .positional('run-a', { type: 'string', demandOption: true, describe: 'The baseline run directory' })
      .positional('run-b', { type: 'string', demandOption: true, describe: 'The run compared with it' })
      .option('tolerance', {
        type: 'string',
        default: '0.1',
        describe: 'Relative change that still counts as unchanged (0.1 = 10 %); floors: 1 pp for rates, 10 ms, 1 for counts',
      })
      .option('markdown', { type: 'boolean', describe: 'Print a Markdown table (for a pull request)' })
      .option('json', { type: 'boolean', describe: 'Print the comparison as JSON' })
      .option('fail-on-regression', { type: 'boolean', default: true, describe: 'Exit 1 when a regression is flagged (--no-fail-on-regression to report only)' })
      .conflicts('markdown', 'json')
      .example('$0 compare reports/r1 reports/r2', 'what changed from r1 to r2')
      .example('$0 compare reports/r1 reports/r2 --tolerance 0.2 --markdown', 'a PR comment, 20 % tolerance'),
  handler: async (args: ArgumentsCamelCase<CompareArgs>) => {
    const tolerance = parseTolerance(args.tolerance);
    const dirA = path.resolve(args['run-a']);
    const dirB = path.resolve(args['run-b']);
    const [a, b] = await Promise.all([
      obtainResults(dirA, { analysis: 'if-missing', write: false }),
      obtainResults(dirB, { analysis: 'if-missing', write: false }),
    ]);
    const comparison = compareResults(a.results, b.results, {
      tolerance,
      labels: { a: path.basename(dirA), b: path.basename(dirB) },
    });
    const text = args.json === true ? formatCompareJson(comparison) : args.markdown === true ? formatCompareMarkdown(comparison) : formatCompareText(comparison);
    result(text.trimEnd());
    // A comparison with a run that did not measure what it claims is no evidence either way.
    const problems = [
      ...measurementProblems(a.results).map((problem) => `${path.basename(dirA)}: ${problem.trial} ${problem.status}: ${problem.reason}`),
      ...measurementProblems(b.results).map((problem) => `${path.basename(dirB)}: ${problem.trial} ${problem.status}: ${problem.reason}`),
    ];
    if (problems.length > 0) {
      throw new HarnessError('E_NOT_MEASURED', `cannot compare: ${problems.length} trial(s) did not measure what they claim:\n  ${problems.join('\n  ')}`, {
        hint: 'compare runs whose trials completed; re-run the failed ones',
        exitCode: 2,
      });
    }
    if (comparison.counts.regressed > 0 && args['fail-on-regression']) process.exitCode = 1;
  },
};
