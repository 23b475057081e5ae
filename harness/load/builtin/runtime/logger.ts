/** Log lines in k6's logfmt-like console format: `INFO[0001] message  source=console`. */
import type { Logger } from '../k6/module-vu.ts';

export type { Logger, LogLevel } from '../k6/module-vu.ts';

export function createLogger(stream: NodeJS.WritableStream, startedAt: () => number): Logger {
  return {
    log(level, message, fields = {}) {
      const seconds = Math.max(0, Math.floor(startedAt() / 1000));
      // Sorted by key, as logrus writes them (`executor=… scenario=… source=stacktrace`).
      const extra = Object.entries(fields)
        .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
        .map(([k, v]) => ` ${k}=${/[\s"]/.test(v) ? JSON.stringify(v) : v}`)
        .join('');
      stream.write(`${level.toUpperCase().slice(0, 4)}[${String(seconds).padStart(4, '0')}] ${message}${extra ? ' ' + extra : ''}\n`);
    },
  };
}
