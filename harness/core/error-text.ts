/**
 * An error as the harness shows it to a person: the code, the message and the hint, cut to a readable
 * size, never a stack unless HARNESS_DEBUG is set; and the exit code it stands for. The CLI prints it
 * (cli/output.ts); a trial writes its load's errors into the load's stderr file the same way, so that
 * the file reads as `harness load`'s own output does.
 */
import { isHarnessError } from './errors.ts';

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

/** The lines printed for `error`, each ending in a newline. */
export function errorText(error: unknown, debug = Boolean(process.env['HARNESS_DEBUG'])): string {
  if (isHarnessError(error)) {
    let text = `error [${error.code}]: ${readable(error.message)}\n`;
    if (error.hint) text += `  hint: ${readable(error.hint)}\n`;
    if (debug && error.stack) text += `${error.stack}\n`;
    return text;
  }
  const message = error instanceof Error ? error.message : String(error);
  let text = `error: ${readable(message)}\n`;
  if (debug && error instanceof Error && error.stack) text += `${error.stack}\n`;
  else text += '  hint: run again with HARNESS_DEBUG=1 for the stack trace, and report it.\n';
  return text;
}

/** The exit code an error stands for: a HarnessError's own, else 2 (a harness error). */
export function errorExitCode(error: unknown): number {
  return isHarnessError(error) ? error.exitCode : 2;
}
