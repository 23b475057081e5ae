import { LatencyHistogram } from './latency-histogram.ts';

/**
 * One latency histogram per 1 s bucket, but only for the last `windowSeconds` seconds seen: when a
 * bucket's slot is needed for a newer second, the old bucket is handed to `onClose` (which derives
 * its percentiles and merges it into the trial's histogram) and the slot is reused. Memory is the
 * window, not the run. k6 writes points in about the order they happen (it flushes every second or
 * so), so a window of half a minute never closes a bucket that still gets points; a point older than
 * the window is refused (`record` returns false) and the caller counts it.
 */
export class RollingSecondHistograms {
  private readonly slots: LatencyHistogram[];
  private readonly owners: Int32Array;
  private newest = -1;

  constructor(
    private readonly windowSeconds: number,
    private readonly onClose: (second: number, histogram: LatencyHistogram) => void,
  ) {
    this.slots = Array.from({ length: windowSeconds }, () => new LatencyHistogram());
    this.owners = new Int32Array(windowSeconds).fill(-1);
  }

  record(second: number, ms: number): boolean {
    if (second <= this.newest - this.windowSeconds) return false;
    if (second > this.newest) this.newest = second;
    const slot = second % this.windowSeconds;
    const histogram = this.slots[slot];
    if (histogram === undefined) return false;
    const owner = this.owners[slot] ?? -1;
    if (owner !== second) {
      if (owner >= 0) this.close(slot, owner, histogram);
      this.owners[slot] = second;
    }
    histogram.record(ms);
    return true;
  }

  /** Closes every open bucket, oldest first. */
  closeAll(): void {
    const open: Array<[number, number]> = [];
    this.owners.forEach((owner, slot) => {
      if (owner >= 0) open.push([owner, slot]);
    });
    open.sort((a, b) => a[0] - b[0]);
    for (const [owner, slot] of open) {
      const histogram = this.slots[slot];
      if (histogram !== undefined) this.close(slot, owner, histogram);
    }
  }

  private close(slot: number, second: number, histogram: LatencyHistogram): void {
    this.onClose(second, histogram);
    histogram.reset();
    this.owners[slot] = -1;
  }
}
