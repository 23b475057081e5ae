import type { LoadEvent, LoadStart } from '../load/load-events.ts';

/** One second of load as seen so far, for progress lines. */
export interface LoadSecond {
  requests: number;
  failed: number;
}

/** How long a second's counts are kept: progress shows only the last complete one. */
const KEEP_SECONDS = 120;

/**
 * The load as its engine tells it while it runs (load/load-events.ts): whether it started and when,
 * and its requests and failures by second, for progress lines and for the trial's outcome.
 */
export class LiveLoad {
  private startedAt: LoadStart | undefined;
  private readonly seconds = new Map<number, LoadSecond>();
  requests = 0;
  failed = 0;

  /** When the load began, once its engine said so; undefined until the load runs. */
  get start(): LoadStart | undefined {
    return this.startedAt;
  }

  add(event: LoadEvent): void {
    if (event.type === 'started') {
      this.startedAt ??= event.start;
      return;
    }
    for (const count of event.counts) {
      const bucket = this.seconds.get(count.second) ?? { requests: 0, failed: 0 };
      bucket.requests += count.requests;
      bucket.failed += count.failed;
      this.seconds.set(count.second, bucket);
      this.seconds.delete(count.second - KEEP_SECONDS);
      this.requests += count.requests;
      this.failed += count.failed;
    }
  }

  /** Requests and failures in the last complete second before `now`. */
  lastSecond(now: number): LoadSecond {
    return this.seconds.get(Math.floor(now / 1000) - 1) ?? { requests: 0, failed: 0 };
  }
}
