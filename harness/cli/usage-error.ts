import { HarnessError } from '../core/errors.ts';

/**
 * yargs' own complaints (a flag without its value, an unknown flag, a value outside the choices)
 * as the harness's usage errors: exit 2, the flag named, no "report it" hint — they are the user's
 * mistakes, not the harness's bugs. yargs gives either a message, or an error object (YError) whose
 * message is the same kind of text. Errors thrown by a command pass through as they are.
 */
export function usageError(message: string | undefined, error: Error | undefined): Error {
  // An error thrown by a command's handler passes through unchanged: only the CLI entry prints it.
  if (error !== undefined && error.name !== 'YError') return error;
  const text = message ?? error?.message ?? 'invalid command line';
  const missing = /^Not enough arguments following: (.+)$/.exec(text);
  if (missing !== null) {
    const flag = flagName(missing[1]!);
    return new HarnessError('E_USAGE', `${flag}: nothing is not allowed; expected a value after ${flag}`, {
      hint: `Write ${flag} VALUE; see \`harness <command> --help\` for what it takes.`,
      exitCode: 2,
    });
  }
  return new HarnessError('E_USAGE', text, { hint: 'See `harness --help`.', exitCode: 2 });
}

function flagName(name: string): string {
  return name.length === 1 ? `-${name}` : `--${name}`;
}
