import { closeSync, openSync, writeSync } from 'node:fs';

export type K6MetricType = 'counter' | 'rate' | 'trend' | 'gauge';

/** k6's metric types for the names tests and the benchmark write. */
export const K6_METRIC_TYPES: Readonly<Record<string, K6MetricType>> = {
  http_reqs: 'counter',
  http_req_failed: 'rate',
  http_req_duration: 'trend',
  http_req_blocked: 'trend',
  http_req_connecting: 'trend',
  http_req_tls_handshaking: 'trend',
  http_req_sending: 'trend',
  http_req_waiting: 'trend',
  http_req_receiving: 'trend',
  data_sent: 'counter',
  data_received: 'counter',
  iterations: 'counter',
  iteration_duration: 'trend',
  checks: 'rate',
  group_duration: 'trend',
  vus: 'gauge',
  vus_max: 'gauge',
  app_responses: 'counter',
  session_started: 'counter',
  session_lost: 'counter',
};

/** The timing points k6 writes for every request, besides http_reqs, http_req_duration and http_req_failed. */
export const K6_REQUEST_TIMINGS = [
  'http_req_blocked',
  'http_req_connecting',
  'http_req_tls_handshaking',
  'http_req_sending',
  'http_req_waiting',
  'http_req_receiving',
] as const;

const FLUSH_CHARS = 1 << 20;

/**
 * Writes NDJSON exactly as `k6 run --out json` does: a `Metric` line before each metric's first
 * point, then `{"metric":…,"type":"Point","data":{"time":…,"value":…,"tags":{…}}}` with tags in
 * sorted key order (Go marshals maps that way) and times in RFC 3339 with nanoseconds. For tests and
 * the benchmark; tags objects are encoded once and cached by identity, as the built-in engine does.
 */
export class K6NdjsonWriter {
  private readonly fd: number;
  private buffer = '';
  private readonly prefixes = new Map<string, string>();
  private readonly tagsJson = new WeakMap<Readonly<Record<string, string>>, string>();
  private cachedSecond = Number.NaN;
  private cachedSecondText = '';

  constructor(readonly path: string) {
    this.fd = openSync(path, 'w');
  }

  point(metric: string, timeMs: number, value: number, tags: Readonly<Record<string, string>>): void {
    const prefix = this.prefixes.get(metric) ?? this.startMetric(metric);
    let json = this.tagsJson.get(tags);
    if (json === undefined) {
      json = encodeTags(tags);
      this.tagsJson.set(tags, json);
    }
    this.buffer += `${prefix}${this.formatTime(timeMs)}","value":${String(value)},"tags":${json}}}\n`;
    if (this.buffer.length >= FLUSH_CHARS) this.flush();
  }

  /** Writes a line as given, for tests of unusual but valid shapes. */
  raw(line: string): void {
    this.buffer += `${line}\n`;
  }

  close(): void {
    this.flush();
    closeSync(this.fd);
  }

  private flush(): void {
    if (this.buffer.length === 0) return;
    writeSync(this.fd, this.buffer);
    this.buffer = '';
  }

  private startMetric(metric: string): string {
    const type = K6_METRIC_TYPES[metric] ?? 'counter';
    const contains = type === 'trend' ? 'time' : metric.startsWith('data_') ? 'data' : 'default';
    const name = JSON.stringify(metric);
    this.buffer += `{"type":"Metric","data":{"name":${name},"type":"${type}","contains":"${contains}","thresholds":[],"submetrics":null},"metric":${name}}\n`;
    const prefix = `{"metric":${name},"type":"Point","data":{"time":"`;
    this.prefixes.set(metric, prefix);
    return prefix;
  }

  /** Go's RFC3339Nano in UTC: nanoseconds with trailing zeros trimmed, no fraction on a whole second. */
  private formatTime(epochMs: number): string {
    const second = Math.floor(epochMs / 1000);
    const nanos = Math.round((epochMs - second * 1000) * 1e6);
    if (second !== this.cachedSecond) {
      this.cachedSecond = second;
      this.cachedSecondText = new Date(second * 1000).toISOString().slice(0, 19);
    }
    if (nanos === 0) return `${this.cachedSecondText}Z`;
    return `${this.cachedSecondText}.${String(nanos).padStart(9, '0').replace(/0+$/, '')}Z`;
  }
}

function encodeTags(tags: Readonly<Record<string, string>>): string {
  const keys = Object.keys(tags).sort();
  return `{${keys.map((key) => `${JSON.stringify(key)}:${JSON.stringify(tags[key])}`).join(',')}}`;
}
