/**
 * Errors the user can act on. Each carries a stable code, a hint, and the exit code the CLI should
 * use; only the CLI entry point catches, prints and exits (see harness/cli/main.ts).
 */
export type ExitCode = 0 | 1 | 2 | 99 | 130;

export interface HarnessErrorOptions {
  /** What the user can do about it. */
  hint?: string;
  /** Exit code when this reaches the CLI: 2 for bad input or a harness failure. */
  exitCode?: ExitCode;
  cause?: unknown;
}

export class HarnessError extends Error {
  readonly code: string;
  readonly hint: string | undefined;
  readonly exitCode: ExitCode;

  constructor(code: string, message: string, options: HarnessErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'HarnessError';
    this.code = code;
    this.hint = options.hint;
    this.exitCode = options.exitCode ?? 2;
  }
}

/** Bad input from the user (flag, scenario, script): names the field, the value and what is allowed. */
export class InputError extends HarnessError {
  constructor(field: string, value: unknown, allowed: string, hint?: string) {
    super('E_INPUT', `${field}: ${formatValue(value)} is not allowed; expected ${allowed}`, { hint, exitCode: 2 });
    this.name = 'InputError';
  }
}

export function formatValue(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value);
  if (value === undefined) return 'nothing';
  try {
    return JSON.stringify(value) ?? String(value);
  } catch {
    return String(value);
  }
}

export function isHarnessError(error: unknown): error is HarnessError {
  return error instanceof HarnessError;
}
