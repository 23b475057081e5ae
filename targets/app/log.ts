/**
 * JSON-lines logger: one object per line on stdout with `time` (ISO 8601, ms), `level`, `event`,
 * `replica`, then the event's fields. The harness parses these lines (e.g. the first `ready`), so
 * field names are part of the contract; free text goes in `message`.
 */
export type LogLevel = 'debug' | 'info' | 'warn' | 'error';

export type LogFields = Readonly<Record<string, unknown>>;

export interface LogRecord {
  time: string;
  level: LogLevel;
  event: string;
  replica: string;
  [field: string]: unknown;
}

export interface Logger {
  debug(event: string, fields?: LogFields): void;
  info(event: string, fields?: LogFields): void;
  warn(event: string, fields?: LogFields): void;
  error(event: string, fields?: LogFields): void;
}

/** Where finished lines go; tests pass an array-backed sink. Stdout writes to pipes are synchronous on Linux. */
export type LogSink = (line: string) => void;

export const stdoutSink: LogSink = (line) => {
  process.stdout.write(line);
};

export function createLogger(replica: string, sink: LogSink = stdoutSink, now: () => Date = () => new Date()): Logger {
  const write = (level: LogLevel, event: string, fields: LogFields = {}): void => {
    const record: LogRecord = { time: now().toISOString(), level, event, replica };
    // A field never overwrites the fixed keys, which also stay first on the line.
    for (const [key, value] of Object.entries(fields)) if (!(key in record)) record[key] = value;
    sink(`${JSON.stringify(record, jsonSafe)}\n`);
  };
  return {
    debug: (event, fields) => write('debug', event, fields),
    info: (event, fields) => write('info', event, fields),
    warn: (event, fields) => write('warn', event, fields),
    error: (event, fields) => write('error', event, fields),
  };
}

/** Errors serialise to their message and code instead of `{}`. */
function jsonSafe(_key: string, value: unknown): unknown {
  if (value instanceof Error) {
    const code = (value as NodeJS.ErrnoException).code;
    return code === undefined ? { name: value.name, message: value.message } : { name: value.name, message: value.message, code };
  }
  if (typeof value === 'bigint') return value.toString();
  return value;
}

export function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
