/**
 * Splits a child's output stream into lines for a callback, keeping partial lines until their end.
 * Returns `end()`, which delivers a last line without a newline.
 */
export function lineSplitter(onLine: (line: string) => void): { push(chunk: string): void; end(): void } {
  let pending = '';
  return {
    push(chunk: string): void {
      pending += chunk;
      let newline = pending.indexOf('\n');
      while (newline !== -1) {
        onLine(pending.slice(0, newline));
        pending = pending.slice(newline + 1);
        newline = pending.indexOf('\n');
      }
    },
    end(): void {
      if (pending !== '') onLine(pending);
      pending = '';
    },
  };
}

// k6 (stdout not a TTY) prints a progress block every second: "running (01.0s), 2/4 VUs, …" then one
// line per scenario, e.g. "flaky   ✓ [ 100% ] 0/2 VUs  2s  20.00 iters/s".
const RUNNING_LINE = /^running \(/;
const SCENARIO_LINE = /^\S+\s+[✓✗↓]?\s*\[\s*\d+%\s*\]/;

/** Whether a line of k6's stdout belongs to its progress display rather than the banner or summary. */
export function isK6ProgressLine(line: string): boolean {
  return RUNNING_LINE.test(line) || SCENARIO_LINE.test(line);
}
