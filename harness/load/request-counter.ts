import type { RequestCount } from './load-events.ts';

/** Requests and failures by the second of their time, counted until taken for a requests event (load-events.ts). */
export class RequestCounter {
  private counts = new Map<number, RequestCount>();

  request(time: number): void {
    this.countOf(time).requests++;
  }

  failure(time: number): void {
    this.countOf(time).failed++;
  }

  /** What was counted since the last call, oldest second first; empty when nothing was. */
  take(): RequestCount[] {
    const counts = [...this.counts.values()].sort((a, b) => a.second - b.second);
    this.counts = new Map();
    return counts;
  }

  private countOf(time: number): RequestCount {
    const second = Math.floor(time / 1000);
    let count = this.counts.get(second);
    if (count === undefined) {
      count = { second, requests: 0, failed: 0 };
      this.counts.set(second, count);
    }
    return count;
  }
}
