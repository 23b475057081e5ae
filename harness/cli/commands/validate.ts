/**
 * `harness validate [scenario..]`: checks scenario files without starting anything. Prints one line
 * per valid file (or the normalised scenarios with --json); bad files give the usual E_SCENARIO
 * error, exit code 2.
 */
import type { ArgumentsCamelCase, CommandModule } from 'yargs';
import { HarnessError } from '../../core/errors.ts';
import { result } from '../output.ts';
import { DEFAULT_SCENARIO_PATH } from '../../scenario/defaults.ts';
import { describeScenario } from '../../scenario/describe-scenario.ts';
import { displayPath, ScenarioError } from '../../scenario/errors.ts';
import { loadScenario } from '../../scenario/load-scenario.ts';
import type { Scenario } from '../../scenario/types.ts';

interface ValidateArgs {
  scenarios: string[] | undefined;
  json: boolean;
}

export const validateCommand: CommandModule<object, ValidateArgs> = {
  command: 'validate [scenarios..]',
  describe: 'Check scenario files (YAML or JSON) without starting anything; the default scenario when none is named',
  builder: (yargs) =>
    yargs
      .positional('scenarios', { type: 'string', array: true, describe: 'Scenario files' })
      .option('json', { type: 'boolean', default: false, describe: 'Print the normalised scenarios as JSON' }),
  handler: async (args: ArgumentsCamelCase<ValidateArgs>) => {
    const files = args.scenarios !== undefined && args.scenarios.length > 0 ? args.scenarios : [DEFAULT_SCENARIO_PATH];
    const valid: Scenario[] = [];
    const failures: ScenarioError[] = [];
    for (const file of files) {
      try {
        valid.push(await loadScenario(file));
      } catch (error) {
        if (!(error instanceof ScenarioError)) throw error;
        failures.push(error);
      }
    }
    if (args.json) result(JSON.stringify(valid, null, 2));
    else for (const scenario of valid) result(`ok ${displayPath(scenario.source)}: ${describeScenario(scenario)}`);
    const failure = combined(failures);
    if (failure !== undefined) throw failure;
  },
};

/** One error for all bad files: one file's lines as they are; several files' lines prefixed by their file. */
function combined(failures: readonly ScenarioError[]): HarnessError | undefined {
  if (failures.length <= 1) return failures[0];
  const lines = failures.flatMap((f) => {
    const file = displayPath(f.source);
    return f.problems.map((line) => (line.startsWith(`${file}:`) ? line : `${file}: ${line}`));
  });
  return new HarnessError('E_SCENARIO', lines.join('\n'), { hint: `${failures.length} scenario files have problems`, exitCode: 2 });
}
