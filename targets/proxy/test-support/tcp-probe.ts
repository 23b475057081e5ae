/**
 * A TCP client for the tests that records what it receives and when (performance.now() ms): chunks,
 * the end, the close and the error, with waits that time out instead of hanging.
 */
import net from 'node:net';
import { performance } from 'node:perf_hooks';

export interface Received {
  at: number;
  bytes: number;
}

export class TcpProbe {
  readonly chunks: Received[] = [];
  receivedBytes = 0;
  endedAt: number | undefined;
  closedAt: number | undefined;
  error: NodeJS.ErrnoException | undefined;
  private readonly waiters = new Set<() => void>();

  private constructor(readonly socket: net.Socket) {
    socket.setNoDelay(true);
    socket.on('data', (chunk: Buffer) => {
      this.receivedBytes += chunk.length;
      this.chunks.push({ at: performance.now(), bytes: chunk.length });
      this.wake();
    });
    socket.on('end', () => {
      this.endedAt = performance.now();
      this.wake();
    });
    socket.on('error', (error: NodeJS.ErrnoException) => {
      this.error = error;
      this.wake();
    });
    socket.on('close', () => {
      this.closedAt = performance.now();
      this.wake();
    });
  }

  /** allowHalfOpen: the test decides when this side ends, so a FIN from the proxy is seen on its own. */
  static connect(port: number): Promise<TcpProbe> {
    return new Promise((resolve, reject) => {
      const socket = net.connect({ host: '127.0.0.1', port, allowHalfOpen: true });
      socket.once('connect', () => resolve(new TcpProbe(socket)));
      socket.once('error', reject);
    });
  }

  /** Resolves once `test` holds, re-checked on every event; rejects after timeoutMs. */
  until(what: string, test: () => boolean, timeoutMs: number): Promise<void> {
    if (test()) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const check = (): void => {
        if (!test()) return;
        clearTimeout(timer);
        this.waiters.delete(check);
        resolve();
      };
      const timer = setTimeout(() => {
        this.waiters.delete(check);
        reject(new Error(`${what}: not within ${timeoutMs} ms (received ${this.receivedBytes} bytes, ended ${this.endedAt !== undefined}, closed ${this.closedAt !== undefined}, error ${this.error?.code ?? 'none'})`));
      }, timeoutMs);
      this.waiters.add(check);
    });
  }

  /** Time (ms) from writing `payload` until as many bytes more came back (an echo upstream). */
  async roundTrip(payload: Buffer | string = 'ping', timeoutMs = 5000): Promise<number> {
    const target = this.receivedBytes + Buffer.byteLength(payload);
    const start = performance.now();
    this.socket.write(payload);
    await this.until('echo', () => this.receivedBytes >= target, timeoutMs);
    return performance.now() - start;
  }

  /** Several round trips, one after the other: their median. */
  async medianRoundTrip(samples: number): Promise<number> {
    const times: number[] = [];
    for (let i = 0; i < samples; i += 1) times.push(await this.roundTrip());
    return median(times);
  }

  destroy(): void {
    this.socket.destroy();
  }

  private wake(): void {
    for (const waiter of [...this.waiters]) waiter();
  }
}

export function median(values: readonly number[]): number {
  return percentile(values, 50);
}

/** Nearest-rank percentile of unsorted values. */
export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[rank] ?? Number.NaN;
}

export const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));
