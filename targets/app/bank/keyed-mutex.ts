/**
 * Runs tasks one at a time per key, in arrival order; a task holding several keys takes them in
 * sorted order, so two tasks can never wait on each other. The event-log store serialises the
 * commands of one account within a replica with it, so optimistic-concurrency conflicts happen only
 * between replicas and bounded retries suffice.
 *
 * A wait is bounded: while the data tier hangs, each queued command would otherwise wait out the
 * timeouts of all those before it; past `waitMs` it fails with LockTimeoutError instead (the caller
 * answers 503), and its place in the queue is given up as soon as it comes round.
 */
export class LockTimeoutError extends Error {
  constructor(readonly keys: readonly string[], readonly waitMs: number) {
    super(`waited more than ${waitMs} ms for ${keys.join(', ')}`);
    this.name = 'LockTimeoutError';
  }
}

export class KeyedMutex {
  private readonly tails = new Map<string, Promise<void>>();

  /** Keys currently held or waited for (0 when idle: nothing leaks). */
  get size(): number {
    return this.tails.size;
  }

  async run<T>(keys: readonly string[], task: () => Promise<T>, waitMs = Number.POSITIVE_INFINITY): Promise<T> {
    const sorted = [...new Set(keys)].sort();
    const deadline = performance.now() + waitMs;
    const releases: (() => void)[] = [];
    try {
      for (const key of sorted) {
        const acquiring = this.acquire(key);
        const release = await beforeDeadline(acquiring, deadline);
        if (release === undefined) {
          // Still queued: let go of the key the moment it would have been ours.
          void acquiring.then((late) => late());
          throw new LockTimeoutError(sorted, waitMs);
        }
        releases.push(release);
      }
      return await task();
    } finally {
      for (const release of releases.reverse()) release();
    }
  }

  private async acquire(key: string): Promise<() => void> {
    const previous = this.tails.get(key) ?? Promise.resolve();
    let release: () => void = () => undefined;
    const held = new Promise<void>((resolve) => {
      release = resolve;
    });
    const tail = previous.then(() => held);
    this.tails.set(key, tail);
    await previous;
    return () => {
      release();
      if (this.tails.get(key) === tail) this.tails.delete(key);
    };
  }
}

/** The value, or undefined when the deadline passes first. */
async function beforeDeadline<T>(promise: Promise<T>, deadline: number): Promise<T | undefined> {
  const left = deadline - performance.now();
  if (!Number.isFinite(left)) return promise;
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<undefined>((resolve) => {
    timer = setTimeout(() => resolve(undefined), Math.max(0, left));
  });
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}
