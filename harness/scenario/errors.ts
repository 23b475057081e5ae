import path from 'node:path';
import { HarnessError } from '../core/errors.ts';

export const SCENARIO_SCHEMA_HINT = 'harness/scenario/scenario.schema.json describes every field (editors complete from it)';

/** A scenario that cannot run: one line per problem, all of them, exit code 2. */
export class ScenarioError extends HarnessError {
  readonly problems: readonly string[];
  readonly source: string;

  constructor(source: string, problems: readonly string[]) {
    const count = `${problems.length} problem${problems.length === 1 ? '' : 's'}`;
    super('E_SCENARIO', problems.join('\n'), { hint: `${count} in ${displayPath(source)}; ${SCENARIO_SCHEMA_HINT}`, exitCode: 2 });
    this.name = 'ScenarioError';
    this.problems = problems;
    this.source = source;
  }
}

/** A path as a person wants to read it: relative to the working directory when inside it. */
export function displayPath(file: string): string {
  const relative = path.relative(process.cwd(), file);
  return relative !== '' && !relative.startsWith('..') && !path.isAbsolute(relative) ? relative : file;
}
