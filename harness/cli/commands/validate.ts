/**
 * `harness validate [scenario..]`: checks scenario files without starting anything. Prints one line
 * per valid file (or the normalised scenarios with --json); bad files give the usual E_SCENARIO
 * error, exit code 2. Every file gets its result, whatever another one holds.
 */
import type { ArgumentsCamelCase, CommandModule } from 'yargs';
import { HarnessError, isHarnessError } from '../../core/errors.ts';
import { result } from '../output.ts';
import { DEFAULT_SCENARIO_PATH } from '../../scenario/defaults.ts';
import { describeScenario } from '../../scenario/describe-scenario.ts';
import { displayPath, ScenarioError } from '../../scenario/errors.ts';
import { MAX_DEPTH, MAX_FILE_BYTES, MAX_VALUES } from '../../scenario/input-limits.ts';
import { loadScenario } from '../../scenario/load-scenario.ts';
import type { Scenario } from '../../scenario/types.ts';

interface ValidateArgs {
  scenarios: string[] | undefined;
  json: boolean;
  /** Files after `--` (so that a name may start with a dash). */
  '--'?: (string | number)[];
}

const REPORT_IT = 'a bug in the harness: run again with HARNESS_DEBUG=1 for the stack trace, and report it';

export const validateCommand: CommandModule<object, ValidateArgs> = {
  command: 'validate [scenarios..]',
  describe: 'Check scenario files (YAML or JSON) without starting anything; the default scenario when none is named',
  builder: (yargs) =>
    yargs
      // Without it, yargs puts the files after `--` in `_`, and the default scenario was checked instead.
      .parserConfiguration({ 'populate--': true })
      .positional('scenarios', { type: 'string', array: true, describe: 'Scenario files' })
      .option('json', { type: 'boolean', default: false, describe: 'Print the normalised scenarios as JSON' })
      .epilog(
        `A scenario file is UTF-8 YAML or JSON of at most ${MAX_FILE_BYTES / 1024} KiB, ${MAX_DEPTH} levels and ${MAX_VALUES.toLocaleString('en-US')} values; the bounds of each field (VUs, rates, durations, replicas…) are in harness/scenario/scenario.schema.json.`,
      ),
  handler: async (args: ArgumentsCamelCase<ValidateArgs>) => {
    const named = [...(args.scenarios ?? []), ...(args['--'] ?? []).map(String)];
    const { valid, failure } = await checkScenarioFiles(named.length > 0 ? named : [DEFAULT_SCENARIO_PATH]);
    if (args.json) result(JSON.stringify(valid, null, 2));
    else for (const scenario of valid) result(`ok ${displayPath(scenario.source)}: ${describeScenario(scenario)}`);
    if (failure !== undefined) throw failure;
  },
};

interface Failure {
  file: string;
  lines: readonly string[];
  error: unknown;
}

/**
 * Loads every file, whatever happens to the others: the valid scenarios, and one error for all the
 * files that are not (undefined when every file is valid).
 */
export async function checkScenarioFiles(
  files: readonly string[],
  load: (file: string) => Promise<Scenario> = loadScenario,
): Promise<{ valid: Scenario[]; failure: HarnessError | undefined }> {
  const valid: Scenario[] = [];
  const failures: Failure[] = [];
  for (const file of files) {
    try {
      valid.push(await load(file));
    } catch (error) {
      if (error instanceof ScenarioError) failures.push({ file: error.source, lines: error.problems, error });
      else if (isHarnessError(error)) failures.push({ file, lines: error.message.split('\n'), error });
      else failures.push({ file, lines: [`${error instanceof Error ? error.message : String(error)} (${REPORT_IT})`], error });
    }
  }
  return { valid, failure: combined(failures) };
}

/** One error for all bad files: one file's lines as they are; several files' lines (or a bug's) prefixed by their file. */
function combined(failures: readonly Failure[]): HarnessError | undefined {
  const bug = failures.find((f) => !isHarnessError(f.error))?.error;
  const only = failures[0];
  if (failures.length === 1 && only?.error instanceof ScenarioError) return only.error;
  if (only === undefined) return undefined;
  const lines = failures.flatMap((f) => {
    const file = displayPath(f.file);
    return f.lines.map((line) => (line.startsWith(`${file}:`) ? line : `${file}: ${line}`));
  });
  const hint = `${failures.length} scenario file${failures.length === 1 ? ' has' : 's have'} problems`;
  if (bug === undefined) return new HarnessError('E_SCENARIO', lines.join('\n'), { hint, exitCode: 2 });
  const error = new HarnessError('E_INTERNAL', lines.join('\n'), { hint, exitCode: 2, cause: bug });
  // HARNESS_DEBUG=1 prints this error's stack: make it the bug's, which is the one worth reading.
  if (bug instanceof Error && bug.stack !== undefined) error.stack = bug.stack;
  return error;
}
