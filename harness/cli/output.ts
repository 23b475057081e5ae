import { isHarnessError } from '../core/errors.ts';

/** Where the CLI talks to people: results on stdout, progress and errors on stderr. */
export function info(line: string): void {
  process.stderr.write(`${line}\n`);
}

export function result(line: string): void {
  process.stdout.write(`${line}\n`);
}

/** Prints an error for a person: message and hint, never a stack unless HARNESS_DEBUG is set. */
export function printError(error: unknown): number {
  if (isHarnessError(error)) {
    process.stderr.write(`error [${error.code}]: ${error.message}\n`);
    if (error.hint) process.stderr.write(`  hint: ${error.hint}\n`);
    if (process.env.HARNESS_DEBUG && error.stack) process.stderr.write(`${error.stack}\n`);
    return error.exitCode;
  }
  const message = error instanceof Error ? error.message : String(error);
  process.stderr.write(`error: ${message}\n`);
  if (process.env.HARNESS_DEBUG && error instanceof Error && error.stack) process.stderr.write(`${error.stack}\n`);
  else process.stderr.write('  hint: run again with HARNESS_DEBUG=1 for the stack trace, and report it.\n');
  return 2;
}
