import path from 'node:path';
import { clip } from './file-text.ts';
import { RunFileError, type RunFileKind } from './run-file-error.ts';

/** How many lines of a file could not be used, and the first of them. */
export interface LineQuality {
  lines: number;
  bad: number;
  first: { line: number; reason: string } | undefined;
}

/** More bad lines than this, and more than 1 % of the lines, make a file corrupted rather than a little damaged. */
const TOLERATED_BAD_LINES = 10;

/**
 * A file whose lines are mostly bad, or with many bad lines, is corrupted: figures made of it would
 * be wrong, so it is refused (exit 2) naming the file and its first bad line. A few bad lines (a
 * last line cut by a crash, say) are skipped and returned as a warning for the report.
 */
export function judgeLines(file: string, quality: LineQuality, kind: RunFileKind): string | undefined {
  if (quality.bad === 0 || quality.first === undefined) return undefined;
  const corrupted = quality.bad * 2 > quality.lines || (quality.bad > TOLERATED_BAD_LINES && quality.bad * 100 > quality.lines);
  if (corrupted) {
    throw new RunFileError(
      file,
      `corrupted: ${quality.bad} of ${quality.lines} line(s) cannot be read; the first is line ${quality.first.line}: ${clip(quality.first.reason)}`,
      kind,
    );
  }
  // The warning names the file only: results.json must not depend on where the run directory lies.
  const name = path.basename(file);
  return `${name}: ${quality.bad} of ${quality.lines} line(s) cannot be read and were skipped (first: line ${quality.first.line}: ${clip(quality.first.reason)})`;
}
