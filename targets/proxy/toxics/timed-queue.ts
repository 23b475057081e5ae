/**
 * Chunks released to a sink in order, each no earlier than its due time (performance.now() ms):
 * what latency, bandwidth and slicer have in common. One timer at a time, for the head. An end
 * queued behind data is passed on right after the last chunk, as a Toxiproxy toxic reads its
 * input's end only once it has sent what came before.
 */
import { performance } from 'node:perf_hooks';
import type { Sink } from './stage.ts';

interface Due {
  chunk: Buffer;
  at: number;
}

export class TimedQueue {
  private readonly items: Due[] = [];
  private head = 0;
  private timer: NodeJS.Timeout | undefined;
  private endQueued = false;
  private stopped = false;

  constructor(private readonly out: () => Sink) {}

  /** When the last queued chunk is due (or 0): a later chunk is never released before it. */
  get lastDueAt(): number {
    return this.items.length > this.head ? (this.items[this.items.length - 1]?.at ?? 0) : 0;
  }

  get isEmpty(): boolean {
    return this.items.length === this.head;
  }

  push(chunk: Buffer, at: number): void {
    if (this.stopped) return;
    // Nothing ahead and nothing to wait for: a timer would only add a millisecond.
    if (this.isEmpty && at <= performance.now()) {
      this.out().write(chunk);
      return;
    }
    this.items.push({ chunk, at: Math.max(at, this.lastDueAt) });
    this.schedule();
  }

  end(): void {
    if (this.stopped) return;
    if (this.isEmpty) this.out().end();
    else this.endQueued = true;
  }

  /** Everything now, in order, then the end if one was queued. */
  flush(): void {
    this.clearTimer();
    while (!this.isEmpty && !this.stopped) this.releaseHead();
    this.compact();
    if (this.endQueued && !this.stopped) {
      this.endQueued = false;
      this.out().end();
    }
  }

  /** Drops what is held; returns how many bytes that was. */
  dispose(): number {
    this.stopped = true;
    this.clearTimer();
    let bytes = 0;
    for (let i = this.head; i < this.items.length; i += 1) bytes += this.items[i]?.chunk.length ?? 0;
    this.items.length = 0;
    this.head = 0;
    return bytes;
  }

  private schedule(): void {
    if (this.timer !== undefined || this.isEmpty) return;
    const at = this.items[this.head]?.at ?? 0;
    // Node's timers have a 1 ms grain; rounding up never releases a chunk early.
    this.timer = setTimeout(() => this.release(), Math.max(0, Math.ceil(at - performance.now())));
  }

  private release(): void {
    this.timer = undefined;
    const now = performance.now();
    // Anything due within the timer's grain goes now rather than a millisecond late.
    while (!this.isEmpty && !this.stopped && (this.items[this.head]?.at ?? 0) <= now + 0.5) this.releaseHead();
    // A write may have closed the connection, which disposed this queue.
    if (this.stopped) return;
    this.compact();
    if (this.isEmpty && this.endQueued) {
      this.endQueued = false;
      this.out().end();
      return;
    }
    this.schedule();
  }

  private releaseHead(): void {
    const item = this.items[this.head];
    this.head += 1;
    if (item !== undefined) this.out().write(item.chunk);
  }

  /** Keeps the array from growing for the life of a long connection. */
  private compact(): void {
    if (this.head === this.items.length) {
      this.items.length = 0;
      this.head = 0;
    } else if (this.head > 1024) {
      this.items.splice(0, this.head);
      this.head = 0;
    }
  }

  private clearTimer(): void {
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.timer = undefined;
  }
}
