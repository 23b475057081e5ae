import { isHarnessError } from '../core/errors.ts';

/** Where the CLI talks to people: results on stdout, progress and errors on stderr. */
export function info(line: string): void {
  process.stderr.write(`${line}\n`);
}

export function result(line: string): void {
  process.stdout.write(`${line}\n`);
}

/** Longest line and most lines of an error message: whatever a value quoted in it, it stays readable. */
const MAX_LINE_CHARS = 1000;
const MAX_LINES = 40;

/** An error message cut to a readable size, saying what was cut (the full text is in HARNESS_DEBUG's stack). */
export function readable(message: string): string {
  const lines = message.split('\n');
  const kept = lines
    .slice(0, MAX_LINES)
    .map((line) => ([...line].length <= MAX_LINE_CHARS ? line : `${[...line].slice(0, MAX_LINE_CHARS).join('')}… (${[...line].length - MAX_LINE_CHARS} more characters)`));
  if (lines.length > MAX_LINES) kept.push(`… (${lines.length - MAX_LINES} more lines)`);
  return kept.join('\n');
}

/** Prints an error for a person: message and hint, never a stack unless HARNESS_DEBUG is set. */
export function printError(error: unknown): number {
  if (isHarnessError(error)) {
    process.stderr.write(`error [${error.code}]: ${readable(error.message)}\n`);
    if (error.hint) process.stderr.write(`  hint: ${readable(error.hint)}\n`);
    if (process.env.HARNESS_DEBUG && error.stack) process.stderr.write(`${error.stack}\n`);
    return error.exitCode;
  }
  const message = error instanceof Error ? error.message : String(error);
  process.stderr.write(`error: ${readable(message)}\n`);
  if (process.env.HARNESS_DEBUG && error instanceof Error && error.stack) process.stderr.write(`${error.stack}\n`);
  else process.stderr.write('  hint: run again with HARNESS_DEBUG=1 for the stack trace, and report it.\n');
  return 2;
}
