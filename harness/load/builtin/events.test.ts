/**
 * The built-in engine's events (load-events.ts): its own start, once and first, the same start in its
 * result and in load-generator.json, and every request and failure the NDJSON holds, by second —
 * through the engine's own process as `harness run` drives it, and in the calling process.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LoadRunResult } from '../contract.ts';
import type { LoadEvent, RequestCount } from '../load-events.ts';
import { runBuiltin } from './run.ts';
import { pointsOf, runScript, scriptDir, startTestServer, type CapturedRun, type TestServer } from './testkit.ts';

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(async () => {
  await server.close();
});

// Over more than one second: two requests an iteration, the second failing (503 is not expected).
const SCRIPT = `
import http from 'k6/http';
import { sleep } from 'k6';
export const options = { iterations: 8 };
export default function () {
  http.get(__ENV.BASE + '/ok');
  http.get(__ENV.BASE + '/status/503');
  sleep(0.2);
}
`;

/** Requests and failures by second, added up over every requests event. */
function countsOf(events: LoadEvent[]): Map<number, Omit<RequestCount, 'second'>> {
  const counts = new Map<number, Omit<RequestCount, 'second'>>();
  for (const event of events) {
    if (event.type !== 'requests') continue;
    for (const { second, requests, failed } of event.counts) {
      const count = counts.get(second) ?? { requests: 0, failed: 0 };
      counts.set(second, { requests: count.requests + requests, failed: count.failed + failed });
    }
  }
  return counts;
}

/** The same from the NDJSON the run wrote. */
function countsInFile(run: Pick<CapturedRun, 'points'>): Map<number, Omit<RequestCount, 'second'>> {
  const counts = new Map<number, Omit<RequestCount, 'second'>>();
  const count = (time: string): Omit<RequestCount, 'second'> => {
    const second = Math.floor(Date.parse(time) / 1000);
    const found = counts.get(second) ?? { requests: 0, failed: 0 };
    counts.set(second, found);
    return found;
  };
  for (const p of pointsOf(run as CapturedRun, 'http_reqs')) count(p.time).requests++;
  for (const p of pointsOf(run as CapturedRun, 'http_req_failed')) if (p.value === 1) count(p.time).failed++;
  return counts;
}

function expectEventsOf(events: LoadEvent[], result: LoadRunResult, run: Pick<CapturedRun, 'points'>): void {
  expect(result.exitCode).toBe(0);
  const started = events.filter((e) => e.type === 'started');
  expect(started).toHaveLength(1);
  expect(events[0]).toBe(started[0]);
  const start = started[0]!.type === 'started' ? started[0]!.start : undefined;
  expect(start?.source).toBe('engine');
  expect(result.start).toEqual(start);
  expect(Math.min(...run.points.map((p) => Date.parse(p.time)))).toBeGreaterThanOrEqual(Math.floor(start!.at));
  const counts = countsOf(events);
  expect(counts).toEqual(countsInFile(run));
  expect([...counts.values()].reduce((sum, c) => sum + c.requests, 0)).toBe(16);
  expect([...counts.values()].reduce((sum, c) => sum + c.failed, 0)).toBe(8);
  expect(counts.size).toBeGreaterThan(1);
}

describe("the built-in engine's events", () => {
  it('through its own process: the start first and once, as in the result and load-generator.json, and the requests by second', async () => {
    const events: LoadEvent[] = [];
    const run = await runScript({ 'script.js': SCRIPT }, { env: { BASE: server.base }, onEvent: (e) => events.push(e), loadGeneratorStatsPath: 'load-generator.json' });
    expectEventsOf(events, run.result, run);
    const stats = JSON.parse(readFileSync(path.join(run.dir, 'load-generator.json'), 'utf8')) as { startedAt: string };
    expect(stats.startedAt).toBe(new Date(run.result.start!.at).toISOString());
  });

  it('in the calling process, the same', async () => {
    const dir = scriptDir({ 'script.js': SCRIPT });
    const events: LoadEvent[] = [];
    const ndjson = path.join(dir, 'out.ndjson');
    const quiet = { write: () => true } as unknown as NodeJS.WritableStream;
    const result = await runBuiltin({ script: path.join(dir, 'script.js'), env: { BASE: server.base }, cwd: dir, ndjsonPath: ndjson, stdout: quiet, stderr: quiet, onEvent: (e) => events.push(e) });
    const points = readFileSync(ndjson, 'utf8')
      .split('\n')
      .filter((line) => line.includes('"type":"Point"'))
      .map((line) => {
        const o = JSON.parse(line) as { metric: string; data: { time: string; value: number; tags: Record<string, string> } };
        return { metric: o.metric, ...o.data };
      });
    expectEventsOf(events, result, { points });
  });

  it('without a listener, still its start in the result', async () => {
    const run = await runScript({ 'script.js': SCRIPT }, { env: { BASE: server.base } });
    expect(run.result.start?.source).toBe('engine');
  });
});
