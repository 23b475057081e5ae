import { HarnessError } from '../errors.ts';

/**
 * A family of run files: the stable code its problems carry and what the user can do about them.
 * The codes are the ones each family had before it had one reader (scripts match on them).
 */
export interface RunFileKind {
  code: string;
  hint: string;
}

/** What `harness run` writes into a trial directory, read by the analysis. */
export const TRIAL_FILES_KIND: RunFileKind = {
  code: 'E_ANALYSIS_INPUT',
  hint: 'The analysis reads the files a run wrote; re-run the trial, or check that the path is a run (or trial) directory.',
};

/** A file of a run directory that is missing, unreadable, corrupt or of a version this harness does not read. */
export class RunFileError extends HarnessError {
  readonly file: string;

  constructor(file: string, problem: string, kind: RunFileKind, options: { hint?: string; cause?: unknown } = {}) {
    super(kind.code, `${file}: ${problem}`, { hint: options.hint ?? kind.hint, exitCode: 2, cause: options.cause });
    this.name = 'RunFileError';
    this.file = file;
  }
}
