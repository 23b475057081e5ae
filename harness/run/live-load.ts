import { open, type FileHandle } from 'node:fs/promises';

/** One second of load as seen so far, for progress lines. */
export interface LoadSecond {
  requests: number;
  failed: number;
}

const REQS = '{"metric":"http_reqs","type":"Point"';
const FAILED = '{"metric":"http_req_failed","type":"Point"';
/** Points stamped at their end whose value is their duration: time − value is when they began. */
const DURATIONS = ['{"metric":"http_req_duration","type":"Point"', '{"metric":"iteration_duration","type":"Point"'];
const TIME = '"time":"';
const VALUE = '"value":';

/**
 * Follows the load's NDJSON while it is written (either engine writes k6's format): whether the load
 * runs (a point outside setup), the earliest start it records (an iteration's or a request's: the
 * point's time minus its duration — the start of load as far as the file tells), and a live request
 * and error count for progress. Reads only what was appended since the last poll, and only looks at
 * four metrics.
 */
export class LiveLoad {
  private file: FileHandle | undefined;
  private offset = 0;
  private partial = '';
  private firstPointAt: number | undefined;
  private earliest = Number.POSITIVE_INFINITY;
  private readonly seconds = new Map<number, LoadSecond>();
  requests = 0;
  failed = 0;

  constructor(private readonly path: string) {}

  /** The time of the first point outside setup: the load is running. */
  get started(): number | undefined {
    return this.firstPointAt;
  }

  /**
   * When the load began, as far as the file tells: the earliest start of an iteration or request seen
   * so far (setup's included), never after the first point; undefined until the load runs. The
   * built-in engine's own start (load-start.ts) is earlier still, by its setup's first request.
   */
  get t0(): number | undefined {
    return this.firstPointAt === undefined ? undefined : Math.min(this.firstPointAt, this.earliest);
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
      if (DURATIONS.some((prefix) => line.startsWith(prefix))) {
        const began = startOf(line);
        if (began !== undefined && began < this.earliest) this.earliest = began;
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

/** A duration point's start: its time minus its value (ms); undefined when either cannot be read. */
function startOf(line: string): number | undefined {
  const time = timeOf(line);
  const at = line.indexOf(VALUE);
  if (time === undefined || at < 0) return undefined;
  const value = Number.parseFloat(line.slice(at + VALUE.length, at + VALUE.length + 32));
  return Number.isFinite(value) && value >= 0 ? time - value : undefined;
}

function timeOf(line: string): number | undefined {
  const at = line.indexOf(TIME);
  if (at < 0) return undefined;
  const end = line.indexOf('"', at + TIME.length);
  const parsed = Date.parse(line.slice(at + TIME.length, end));
  return Number.isNaN(parsed) ? undefined : parsed;
}
