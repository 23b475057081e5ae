/**
 * The runtime half of the call-depth guard the transform puts in every async-made script function
 * (transform/guards.ts explains why): a VU's count of nested script calls, and the check made every
 * DEPTH_HOP levels. Past MAX_CALL_DEPTH the VU gets V8's own RangeError, thrown here with the native
 * stack nearly empty, so it unwinds through the script like any exception (k6 on goja has no depth
 * limit of its own and would grow until memory runs out; V8 stops a plain recursion at about 7,000 to
 * 13,000 frames, which this limit sits within).
 */
export const MAX_CALL_DEPTH = 10_000;

export class CallDepth {
  /** Script calls in progress in this VU (`__rt.g.d`, counted by the transformed code itself). */
  d = 0;

  /**
   * Called by the guard at every DEPTH_HOP-th level, and awaited: the await unwinds the native stack.
   * Throws (undoing the caller's count, which its `finally` does not cover) past the limit.
   */
  deep(): void {
    if (this.d > MAX_CALL_DEPTH) {
      this.d--;
      throw new RangeError('Maximum call stack size exceeded');
    }
  }

  /** A new iteration or lifecycle call starts from zero, whatever an abandoned one left. */
  reset(): void {
    this.d = 0;
  }
}
