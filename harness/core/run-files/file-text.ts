import { readFile, rename, stat, writeFile } from 'node:fs/promises';
import { RunFileError, type RunFileKind } from './run-file-error.ts';

/** A run file's text; undefined when it does not exist (a trial without faults writes no events). */
export async function readTextIfPresent(file: string, kind: RunFileKind): Promise<string | undefined> {
  try {
    return await readFile(file, 'utf8');
  } catch (error) {
    if (isNotFound(error)) return undefined;
    throw new RunFileError(file, 'cannot be read', kind, { cause: error });
  }
}

/** Refuses a run file that must be there; `why` says what its absence means. */
export async function requirePresent(file: string, kind: RunFileKind, why: string): Promise<void> {
  try {
    await stat(file);
  } catch (error) {
    throw new RunFileError(file, `missing: ${why}`, kind, { cause: error });
  }
}

/** Through a temporary file and a rename, so that a reader never sees half a file. */
export async function writeTextAtomically(file: string, text: string): Promise<void> {
  const temporary = `${file}.${process.pid}.tmp`;
  await writeFile(temporary, text);
  await rename(temporary, file);
}

function isNotFound(error: unknown): boolean {
  return typeof error === 'object' && error !== null && 'code' in error && error.code === 'ENOENT';
}

/** A reason short enough for one line of an error message or a warning. */
export function clip(text: string): string {
  return text.length <= 200 ? text : `${text.slice(0, 199)}…`;
}
