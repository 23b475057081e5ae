import { METRIC_AUDIT_BALANCE } from '../../../k6-scripts/lib/bank-metrics.ts';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { MetricCode } from './metric-codes.ts';
import { scanLines } from './ndjson-scanner.ts';
import { PointLineParser, type PointSink } from './point-line-parser.ts';

const REFERENCE = fileURLToPath(new URL('../../../../shared/k6-reference/v0.49.0/k6-out.ndjson', import.meta.url));
const workDir = mkdtempSync(path.join(os.tmpdir(), 'analysis-parser-'));
afterAll(() => rmSync(workDir, { recursive: true, force: true }));

interface Seen {
  metric: MetricCode;
  timeMs: number;
  value: number;
  session: string | undefined;
  replica: string | undefined;
}

function collector(): { sink: PointSink; seen: Seen[] } {
  const seen: Seen[] = [];
  return {
    seen,
    sink: {
      point: (metric, timeMs, value, tags) => seen.push({ metric, timeMs, value, session: tags.session, replica: tags.replica }),
    },
  };
}

function parseAll(lines: readonly string[]): { seen: Seen[]; parser: PointLineParser } {
  const { sink, seen } = collector();
  const parser = new PointLineParser(sink);
  for (const line of lines) {
    const bytes = Buffer.from(line, 'utf8');
    parser.parseLine(bytes, 0, bytes.length);
  }
  return { seen, parser };
}

const point = (time: string, value: string, tags: string) =>
  `{"metric":"app_responses","type":"Point","data":{"time":"${time}","value":${value},"tags":${tags}}}`;

describe('PointLineParser', () => {
  it('reads every reference line the same on the fast path as on the JSON.parse path', () => {
    const lines = readFileSync(REFERENCE, 'utf8')
      .split('\n')
      .filter((line) => line !== '');
    const fast = parseAll(lines);
    // Another key order defeats the fast path: the same lines then all go through JSON.parse.
    const reordered = lines.map((line) => {
      const { type, data, metric } = JSON.parse(line) as Record<string, unknown>;
      return JSON.stringify({ data, type, metric });
    });
    const slow = parseAll(reordered);
    expect(slow.parser.counts.slowPathLines).toBe(lines.length);
    expect(fast.parser.counts.slowPathLines).toBe(fast.parser.counts.metricDefinitions);
    expect(fast.seen.length).toBeGreaterThan(600);
    expect(fast.seen).toEqual(slow.seen);
  });

  it('reads times exactly: nanoseconds, no fraction, zone offsets', () => {
    const base = Date.UTC(2026, 10, 28, 20, 30, 36);
    const { seen } = parseAll([
      point('2026-11-28T20:30:36.583329614Z', '1', '{}'),
      point('2026-11-28T20:30:36Z', '1', '{}'),
      point('2026-11-28T21:30:36.5+01:00', '1', '{}'),
      point('2026-11-28T19:00:36.25-01:30', '1', '{}'),
      point('2026-11-29T00:00:00.000000001Z', '1', '{}'),
    ]);
    expect(seen.map((s) => s.timeMs)).toEqual([
      base + 583.329614,
      base,
      base + 500,
      base + 250,
      Date.UTC(2026, 10, 29) + 0.000001,
    ]);
  });

  it('reads values as Number() does, including exponents and (for amounts) negatives', () => {
    const values = ['0', '1', '22.070131', '0.000123', '1e-06', '-3.5', '12345678901234567890', '1.5E+3'];
    const { seen } = parseAll(values.map((value) => point('2026-11-28T20:30:36Z', value, '{}').replace('app_responses', METRIC_AUDIT_BALANCE)));
    expect(seen.map((s) => s.value)).toEqual(values.map(Number));
  });

  it('refuses values no k6 engine writes, and remembers the first bad line', () => {
    const duration = (value: string) => `{"metric":"http_req_duration","type":"Point","data":{"time":"2026-11-28T20:30:36Z","value":${value},"tags":{}}}`;
    const failed = (value: string) => `{"metric":"http_req_failed","type":"Point","data":{"time":"2026-11-28T20:30:36Z","value":${value},"tags":{}}}`;
    const { seen, parser } = parseAll(['', duration('12.5'), duration('-1'), failed('0.5'), failed('1'), point('2026-11-28T20:30:36Z', '-2', '{}'), duration('1e400')]);
    expect(seen.map((s) => s.value)).toEqual([12.5, 1]);
    expect(parser.counts.malformedLines).toBe(4);
    expect(parser.firstBadLine).toEqual({ line: 3, reason: 'http_req_duration: value -1 is not possible for this metric' });
  });

  it('reads the session and replica tags, and takes the slow path for what it cannot read in place', () => {
    const { seen, parser } = parseAll([
      point('2026-11-28T20:30:36Z', '1', '{"name":"add","replica":"app-1","session":"3-7","status":"200"}'),
      point('2026-11-28T20:30:36Z', '1', 'null'),
      point('2026-11-28T20:30:36Z', '1', '{"replica":"app-2","session":"é-1","url":"http://x/\\"q\\""}'),
      `{"metric":"app_responses","type":"Point","data":{"time":"2026-11-28T20:30:36Z","value":1,"tags":{"replica":"app-3"},"metadata":{"session":"not-a-tag"}}}`,
    ]);
    expect(seen.map((s) => [s.replica, s.session])).toEqual([
      ['app-1', '3-7'],
      [undefined, undefined],
      ['app-2', 'é-1'],
      ['app-3', undefined],
    ]);
    expect(parser.counts.slowPathLines).toBe(2);
  });

  it('counts malformed lines, skips unwanted metrics unparsed and ignores blank lines', () => {
    const { seen, parser } = parseAll([
      '{"metric":"http_req_blocked","type":"Point","data":{"time":"garbage"}}',
      '{"metric":"http_reqs","type":"Point","data":{"time":"not a time","value":1,"tags":{}}}',
      'not json at all',
      '   ',
      '{"type":"Metric","data":{"name":"http_reqs","type":"counter"},"metric":"http_reqs"}',
    ]);
    expect(seen).toEqual([]);
    expect(parser.counts).toEqual({
      lines: 4,
      pointsKept: 0,
      pointsSkipped: 1,
      metricDefinitions: 1,
      slowPathLines: 3,
      malformedLines: 2,
    });
    expect(parser.metricTypes.get('http_reqs')).toBe('counter');
  });
});

describe('scanLines', () => {
  it('splits lines across chunk boundaries, grows for long lines, handles CRLF and a missing final newline', async () => {
    const lines = ['short', 'x'.repeat(300), '', 'crlf-line', 'é-multibyte-ü', 'last-without-newline'];
    const file = path.join(workDir, 'lines.txt');
    writeFileSync(file, `${lines[0]}\n${lines[1]}\n\n${lines[3]}\r\n${lines[4]}\n${lines[5]}`);
    const seen: string[] = [];
    const stats = await scanLines(file, (bytes, start, end) => seen.push(bytes.toString('utf8', start, end)), 16);
    expect(seen).toEqual(lines);
    expect(stats.bytes).toBe(readFileSync(file).length);
  });
});
