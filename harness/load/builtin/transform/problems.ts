/** What the transform cannot run with k6's semantics: reported before the run, all at once. */
import { HarnessError } from '../../../core/errors.ts';

export interface Problem {
  file: string;
  line: number;
  /** What it is, e.g. `getter "total" that calls functions`. */
  construct: string;
  /** Why the built-in engine cannot run it faithfully. */
  reason: string;
}

export const K6_ENGINE_HINT = 'run this script with `--engine k6` (real k6), or rewrite the construct';

export function formatProblem(p: Problem): string {
  return `${p.file}:${p.line}: ${p.construct} is not supported by the built-in engine: ${p.reason}`;
}

export class UnsupportedScriptError extends HarnessError {
  readonly problems: readonly Problem[];
  constructor(problems: readonly Problem[]) {
    const lines = problems.slice(0, 20).map(formatProblem);
    if (problems.length > 20) lines.push(`… and ${problems.length - 20} more`);
    lines.push('The built-in engine rejects these before the run; real k6 runs them: use `--engine k6`.');
    super('E_BUILTIN_UNSUPPORTED', lines.join('\n'), { hint: K6_ENGINE_HINT, exitCode: 2 });
    this.name = 'UnsupportedScriptError';
    this.problems = problems;
  }
}
