/**
 * A call bounded by a timeout, with the way it ended as a value: it returned, it threw, or it ran out
 * of time. setup() and teardown() run this way (k6's setupTimeout and teardownTimeout), and what the
 * run makes of each ending (exit 107, or 100/101 with k6's message) is decided on the kind, never on
 * an error's text.
 */
export type TimedOutcome<T> =
  | { kind: 'returned'; value: T }
  | { kind: 'threw'; error: unknown }
  | { kind: 'timed-out'; timeoutMs: number };

/**
 * Runs `work` until it settles or `timeoutMs` passes; on the timeout, `onTimeout` runs (to interrupt
 * what the work waits on) and the outcome is `timed-out` at once, whatever the work does later.
 */
export async function withTimeout<T>(work: () => Promise<T> | T, timeoutMs: number, onTimeout: () => void): Promise<TimedOutcome<T>> {
  let timer: NodeJS.Timeout | undefined;
  const timedOut = new Promise<TimedOutcome<T>>((resolve) => {
    timer = setTimeout(() => {
      onTimeout();
      resolve({ kind: 'timed-out', timeoutMs });
    }, timeoutMs);
  });
  const settled = (async (): Promise<TimedOutcome<T>> => {
    try {
      return { kind: 'returned', value: await work() };
    } catch (error) {
      return { kind: 'threw', error };
    }
  })();
  try {
    return await Promise.race([settled, timedOut]);
  } finally {
    clearTimeout(timer);
  }
}
