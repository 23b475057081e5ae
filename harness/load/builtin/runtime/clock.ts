/**
 * The engine's one clock: epoch milliseconds with sub-millisecond resolution, from the monotonic
 * performance clock anchored once at its origin (so durations and sample times never disagree).
 */
const origin = performance.timeOrigin;

export function now(): number {
  return origin + performance.now();
}
