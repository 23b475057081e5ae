import { errorExitCode, errorText } from '../core/error-text.ts';

/** Where the CLI talks to people: results on stdout, progress and errors on stderr. */
export function info(line: string): void {
  process.stderr.write(`${line}\n`);
}

export function result(line: string): void {
  process.stdout.write(`${line}\n`);
}

/** Prints an error for a person: message and hint, never a stack unless HARNESS_DEBUG is set. */
export function printError(error: unknown): number {
  process.stderr.write(errorText(error));
  return errorExitCode(error);
}
