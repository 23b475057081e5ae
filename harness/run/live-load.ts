import { open, type FileHandle } from 'node:fs/promises';

/** One second of load as seen so far, for progress lines. */
export interface LoadSecond {
  requests: number;
  failed: number;
}

const REQS = '{"metric":"http_reqs","type":"Point"';
const FAILED = '{"metric":"http_req_failed","type":"Point"';
const TIME = '"time":"';

/**
 * Follows the load's NDJSON while it is written (either engine writes k6's format) to learn t0 —
 * the time of the first point outside setup — and a live request and error count for progress.
 * Reads only what was appended since the last poll, and only looks at two metrics.
 */
export class LiveLoad {
  private file: FileHandle | undefined;
  private offset = 0;
  private partial = '';
  private firstPointAt: number | undefined;
  private readonly seconds = new Map<number, LoadSecond>();
  requests = 0;
  failed = 0;

  constructor(private readonly path: string) {}

  get t0(): number | undefined {
    return this.firstPointAt;
  }

  /** Reads what was appended; returns false while the file does not exist yet. */
  async poll(): Promise<boolean> {
    if (!this.file) {
      try {
        this.file = await open(this.path, 'r');
      } catch {
        return false;
      }
    }
    const buffer = Buffer.alloc(1 << 20);
    for (;;) {
      const { bytesRead } = await this.file.read(buffer, 0, buffer.length, this.offset);
      if (bytesRead === 0) break;
      this.offset += bytesRead;
      this.consume(this.partial + buffer.toString('utf8', 0, bytesRead));
    }
    return true;
  }

  /** Requests and failures in the last complete second before `now`. */
  lastSecond(now: number): LoadSecond {
    return this.seconds.get(Math.floor(now / 1000) - 1) ?? { requests: 0, failed: 0 };
  }

  async close(): Promise<void> {
    await this.file?.close();
    this.file = undefined;
  }

  private consume(text: string): void {
    const lines = text.split('\n');
    this.partial = lines.pop() ?? '';
    for (const line of lines) {
      const isRequest = line.startsWith(REQS);
      const isFailure = !isRequest && line.startsWith(FAILED);
      if (this.firstPointAt === undefined && line.includes('"type":"Point"') && !line.includes('"group":"::setup"')) {
        this.firstPointAt = timeOf(line);
      }
      if (!isRequest && !isFailure) continue;
      const time = timeOf(line);
      if (time === undefined) continue;
      const second = Math.floor(time / 1000);
      const bucket = this.seconds.get(second) ?? { requests: 0, failed: 0 };
      if (isRequest) {
        bucket.requests++;
        this.requests++;
      } else if (line.includes('"value":1,') || line.includes('"value":1}')) {
        bucket.failed++;
        this.failed++;
      }
      this.seconds.set(second, bucket);
      this.seconds.delete(second - 120);
    }
  }
}

function timeOf(line: string): number | undefined {
  const at = line.indexOf(TIME);
  if (at < 0) return undefined;
  const end = line.indexOf('"', at + TIME.length);
  const parsed = Date.parse(line.slice(at + TIME.length, end));
  return Number.isNaN(parsed) ? undefined : parsed;
}
