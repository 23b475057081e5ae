import path from 'node:path';
import { HarnessError } from '../core/errors.ts';
import { MAX_LINE_CHARS, MAX_LINES } from './input-limits.ts';
import { cut } from './problems.ts';

export const SCENARIO_SCHEMA_HINT = 'harness/scenario/scenario.schema.json describes every field (editors complete from it)';

/**
 * A scenario that cannot run: one line per problem, exit code 2. The lines are cut to a readable
 * length and the first MAX_LINES shown (the hint counts them all): fix those, then run again.
 */
export class ScenarioError extends HarnessError {
  /** The lines shown. */
  readonly problems: readonly string[];
  readonly source: string;

  constructor(source: string, problems: readonly string[]) {
    const shown = readableLines(problems);
    const count = `${problems.length} problem${problems.length === 1 ? '' : 's'}${shown.length < problems.length ? ` (the first ${shown.length} shown)` : ''}`;
    super('E_SCENARIO', shown.join('\n'), { hint: `${count} in ${cut(displayPath(source), MAX_LINE_CHARS)}; ${SCENARIO_SCHEMA_HINT}`, exitCode: 2 });
    this.name = 'ScenarioError';
    this.problems = shown;
    this.source = source;
  }
}

/** The first MAX_LINES lines, each cut to MAX_LINE_CHARS. */
export function readableLines(lines: readonly string[]): string[] {
  return lines.slice(0, MAX_LINES).map((line) => cut(line, MAX_LINE_CHARS));
}

/** A path as a person wants to read it: relative to the working directory when inside it. */
export function displayPath(file: string): string {
  const relative = path.relative(process.cwd(), file);
  return relative !== '' && !relative.startsWith('..') && !path.isAbsolute(relative) ? relative : file;
}
