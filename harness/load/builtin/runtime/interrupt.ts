/**
 * Thrown into a VU's script when its iteration is stopped from outside (end of gracefulStop, a
 * ramp-down, test abort). k6 interrupts the JS runtime; here every blocking k6 call rejects with
 * this instead, so the iteration unwinds at its next k6 call.
 */
export class InterruptError extends Error {
  constructor(reason = 'iteration interrupted') {
    super(reason);
    this.name = 'InterruptError';
  }
}

/** Thrown by exec.test.abort(): stops the whole test (exit code 108). */
export class TestAbortError extends Error {
  constructor(reason: string) {
    super(reason);
    this.name = 'TestAbortError';
  }
}

/**
 * The interrupt switch of one iteration. Lighter than an AbortController (one per iteration and a
 * listener per k6 call would cost more than the call itself at thousands of requests per second).
 */
export class Interrupter {
  aborted = false;
  private listeners: Array<() => void> = [];

  on(listener: () => void): void {
    this.listeners.push(listener);
  }

  off(listener: () => void): void {
    const i = this.listeners.lastIndexOf(listener);
    if (i >= 0) this.listeners.splice(i, 1);
  }

  abort(): void {
    if (this.aborted) return;
    this.aborted = true;
    const listeners = this.listeners;
    this.listeners = [];
    for (const listener of listeners) listener();
  }
}

/** Resolves after `ms`, or rejects with InterruptError when the iteration is interrupted first. */
export function interruptibleDelay(ms: number, interrupt: Pick<Interrupter, 'aborted' | 'on' | 'off'> | undefined): Promise<void> {
  if (interrupt?.aborted) return Promise.reject(new InterruptError());
  return new Promise<void>((resolve, reject) => {
    const onAbort = (): void => {
      clearTimeout(timer);
      reject(new InterruptError());
    };
    const timer = setTimeout(() => {
      interrupt?.off(onAbort);
      resolve();
    }, Math.max(0, ms));
    interrupt?.on(onAbort);
  });
}
