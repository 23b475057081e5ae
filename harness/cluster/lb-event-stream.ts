import { connect, type Socket } from 'node:net';
import { parseRingLine, type LbLogLine } from './lb-log.ts';

export interface LbEventStreamOptions {
  host: string;
  port: number;
  ring: string;
  /** Each line HAProxy wrote to the ring, once, in its order. */
  onLine: (line: LbLogLine) => void;
  /** Something the record may lack because of it (a reconnection that could not resume exactly). */
  onProblem?: (message: string) => void;
  /** Delay before reconnecting after the runtime API closed the stream. */
  retryMs?: number;
}

/**
 * Follows HAProxy's event ring through the runtime API (`show events <ring> -w`): first every line
 * the ring holds, then each new one as HAProxy writes it. HAProxy never drops a line for a reader
 * that keeps up (a writer that would overrun an unread line drops it and counts it: `show events`),
 * so this is the lossless copy of the log, unlike stdout.
 *
 * Should the connection close, the stream reconnects, reads the ring from its start again and skips
 * the lines it already delivered; a ring that wrapped meanwhile is reported, not guessed around.
 */
export class LbEventStream {
  private readonly options: LbEventStreamOptions;
  private socket: Socket | undefined;
  private stopped = false;
  private delivered = 0;
  private lastRaw: string | undefined;
  /** Lines of the current connection still to skip, as they were delivered before it. */
  private skip = 0;
  private skipCheck: string | undefined;
  private pending = '';

  constructor(options: LbEventStreamOptions) {
    this.options = options;
  }

  /** Resolves once the runtime API accepted the connection. */
  start(): Promise<void> {
    return new Promise((resolve, reject) => this.open(resolve, reject));
  }

  get lineCount(): number {
    return this.delivered;
  }

  /** Stops following. A line not yet received up to its newline is not delivered: it may be cut. */
  stop(): void {
    this.stopped = true;
    this.socket?.destroy();
  }

  private open(resolve?: () => void, reject?: (error: Error) => void): void {
    const socket = connect({ host: this.options.host, port: this.options.port });
    this.socket = socket;
    this.pending = '';
    this.skip = this.delivered;
    this.skipCheck = this.lastRaw;
    socket.setEncoding('utf8');
    socket.setNoDelay(true);
    // Following the log never keeps the process alive (`harness up` exits and leaves the cluster running).
    socket.unref();
    socket.on('connect', () => {
      // No end(): HAProxy stops a `-w` dump at the first byte (or end) of input.
      socket.write(`show events ${this.options.ring} -w\n`);
      resolve?.();
    });
    socket.on('data', (chunk: string) => this.receive(chunk));
    socket.on('error', (error) => reject?.(error));
    socket.on('close', () => {
      if (this.stopped || this.socket !== socket) return;
      setTimeout(() => {
        if (!this.stopped) this.open();
      }, this.options.retryMs ?? 100).unref();
    });
  }

  private receive(chunk: string): void {
    const text = this.pending + chunk;
    const lines = text.split('\n');
    this.pending = lines.pop() ?? '';
    for (const raw of lines) this.take(raw);
  }

  private take(raw: string): void {
    const line = parseRingLine(raw);
    if (!line) return;
    if (this.skip > 0) {
      this.skip -= 1;
      if (this.skip === 0 && this.skipCheck !== undefined && raw !== this.skipCheck) {
        this.options.onProblem?.(
          `the load balancer's event stream reconnected after ${this.delivered} lines and the ring no longer starts where it did: lines may be missing`,
        );
      }
      return;
    }
    this.delivered += 1;
    this.lastRaw = raw;
    this.options.onLine(line);
  }
}
