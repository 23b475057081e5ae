/**
 * What k6's NDJSON tells of the load while k6 writes it, for the caller's events (load-events.ts):
 * k6 itself says nothing of its start or its requests while it runs. The load has started at its
 * first point outside setup(); it began at the earliest start the file records — an iteration's or a
 * request's, the point's time minus its duration, setup()'s included — or at that first point, if
 * earlier. Requests are the `http_reqs` points, failures the `http_req_failed` points that are 1, by
 * the second of their time.
 *
 * Lines are read as JSON, whatever the order of their keys. Only lines that name one of the metrics
 * of interest are parsed (k6 writes some ten points per request; this runs next to the harness's
 * fault timeline), and until the load has started, every point.
 */
import type { LoadStart, RequestCount } from '../load-events.ts';
import { RequestCounter } from '../request-counter.ts';

interface Point {
  metric: string;
  time: number;
  value: number;
  group: string | undefined;
}

const POINT = '"type":"Point"';
const REQUESTS = 'http_reqs';
const FAILED = 'http_req_failed';
/** Points stamped at their end whose value is their duration: time − value is when they began. */
const DURATIONS = new Set(['http_req_duration', 'iteration_duration']);
const WANTED = [REQUESTS, FAILED, ...DURATIONS].map((metric) => `"metric":"${metric}"`);

export class OutputWatch {
  private firstPointAt: number | undefined;
  private earliest = Number.POSITIVE_INFINITY;
  private partial = '';
  private readonly counts = new RequestCounter();

  /** Takes what was appended to the file (any cut: a partial line waits for its end). */
  push(text: string): void {
    const lines = (this.partial + text).split('\n');
    this.partial = lines.pop() ?? '';
    for (const line of lines) this.line(line);
  }

  /** When the load began, as far as the file tells so far; undefined until a point outside setup(). */
  get start(): LoadStart | undefined {
    if (this.firstPointAt === undefined) return undefined;
    return { at: Math.min(this.firstPointAt, this.earliest), source: 'output' };
  }

  /** Requests counted since the last call, oldest second first. */
  takeCounts(): RequestCount[] {
    return this.counts.take();
  }

  private line(line: string): void {
    if (!line.includes(POINT)) return;
    const started = this.firstPointAt !== undefined;
    if (started && !WANTED.some((wanted) => line.includes(wanted))) return;
    const point = parsePoint(line);
    if (point === undefined) return;
    if (!started && point.group !== '::setup') this.firstPointAt = point.time;
    if (DURATIONS.has(point.metric) && point.value >= 0) this.earliest = Math.min(this.earliest, point.time - point.value);
    else if (point.metric === REQUESTS) this.counts.request(point.time);
    else if (point.metric === FAILED && point.value === 1) this.counts.failure(point.time);
  }
}

/** A k6 point line, or undefined for anything else (a Metric line, a damaged line). */
function parsePoint(line: string): Point | undefined {
  let parsed: unknown;
  try {
    parsed = JSON.parse(line);
  } catch {
    return undefined;
  }
  if (typeof parsed !== 'object' || parsed === null) return undefined;
  const { type, metric, data } = parsed as { type?: unknown; metric?: unknown; data?: { time?: unknown; value?: unknown; tags?: { group?: unknown } } };
  if (type !== 'Point' || typeof metric !== 'string' || typeof data?.time !== 'string' || typeof data.value !== 'number') return undefined;
  const time = Date.parse(data.time);
  if (Number.isNaN(time)) return undefined;
  const group = data.tags?.group;
  return { metric, time, value: data.value, group: typeof group === 'string' ? group : undefined };
}
