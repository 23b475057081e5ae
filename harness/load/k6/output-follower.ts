/**
 * Follows the NDJSON k6 writes while it runs (every 100 ms, only what was appended) and turns it
 * into the caller's events through an OutputWatch: `started` once the load shows, `requests` as they
 * are counted. k6 has no other live channel here: its progress lines carry no request counts, and
 * its REST API is not something every k6 a user points K6_BIN at is started with.
 */
import { open, type FileHandle } from 'node:fs/promises';
import type { LoadEvent, LoadStart } from '../load-events.ts';
import { OutputWatch } from './output-watch.ts';

const POLL_MS = 100;
const CHUNK_BYTES = 1 << 20;

export class OutputFollower {
  private readonly watch = new OutputWatch();
  private file: FileHandle | undefined;
  private offset = 0;
  private announced = false;
  private timer: NodeJS.Timeout | undefined;
  private polling: Promise<void> = Promise.resolve();

  constructor(
    private readonly path: string,
    private readonly onEvent: (event: LoadEvent) => void,
  ) {}

  /** When the load began, as far as the file told. */
  get start(): LoadStart | undefined {
    return this.watch.start;
  }

  follow(): void {
    // Unref'd: the k6 process keeps the harness alive, not this.
    this.timer = setInterval(() => this.poll(), POLL_MS).unref();
  }

  /** Reads the rest of the file, reports it, and closes it. */
  async stop(): Promise<void> {
    clearInterval(this.timer);
    this.poll();
    await this.polling;
    await this.file?.close();
    this.file = undefined;
  }

  /** One read at a time: a poll that finds the previous one still reading waits for it. */
  private poll(): void {
    this.polling = this.polling.then(() => this.read()).catch(() => undefined);
  }

  private async read(): Promise<void> {
    if (!this.file) {
      try {
        this.file = await open(this.path, 'r');
      } catch {
        return;
      }
    }
    const buffer = Buffer.alloc(CHUNK_BYTES);
    for (;;) {
      const { bytesRead } = await this.file.read(buffer, 0, buffer.length, this.offset);
      if (bytesRead === 0) break;
      this.offset += bytesRead;
      // Byte for byte (latin1): a read may end inside a UTF-8 character, and what the watch reads of
      // a line (its keys, the metric's name, the time, the value, the group `::setup`) is ASCII.
      this.watch.push(buffer.toString('latin1', 0, bytesRead));
    }
    this.report();
  }

  private report(): void {
    const start = this.watch.start;
    if (!this.announced && start !== undefined) {
      this.announced = true;
      this.onEvent({ type: 'started', start });
    }
    const counts = this.watch.takeCounts();
    if (counts.length > 0) this.onEvent({ type: 'requests', counts });
  }
}
