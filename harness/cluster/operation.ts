/** Epoch milliseconds on the host's clock. */
export type Millis = number;

/** What one cluster operation did and when: the fault timeline records these as events. */
export interface OperationResult {
  operation: string;
  target: string;
  containers: string[];
  requestedAt: Millis;
  completedAt: Millis;
  /** Phase name → time it was reached (e.g. created, started, ready, inLb). */
  phases: Record<string, Millis>;
}

/**
 * Like Promise.all, but waits for every operation to end before rejecting, so that nothing is still
 * being created while a failed start removes what the run made.
 */
export async function settleAll<T>(operations: Array<Promise<T>>): Promise<T[]> {
  const results = await Promise.allSettled(operations);
  const failed = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
  if (failed) throw failed.reason;
  return results.map((r) => (r as PromiseFulfilledResult<T>).value);
}
