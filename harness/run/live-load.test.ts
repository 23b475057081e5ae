import { appendFileSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { LiveLoad } from './live-load.ts';
import { loadStart } from './load-start.ts';

const workDir = mkdtempSync(path.join(os.tmpdir(), 'live-load-'));
afterAll(() => rmSync(workDir, { recursive: true, force: true }));

const START = Date.UTC(2026, 11, 1, 23, 27, 48, 122);
const point = (metric: string, time: number, value: number, group = ''): string =>
  `{"metric":"${metric}","type":"Point","data":{"time":"${new Date(time).toISOString().replace('Z', '180Z')}","value":${value},"tags":{"group":"${group}","scenario":"load"}}}\n`;

describe('LiveLoad', () => {
  it('knows the load runs at its first point outside setup, and began at the earliest start it records', async () => {
    const file = path.join(workDir, 'load.ndjson');
    writeFileSync(file, point('http_req_duration', START + 40, 30, '::setup'));
    const live = new LiveLoad(file);
    await live.poll();
    // setup() alone is not the load running.
    expect(live.started).toBeUndefined();
    expect(live.t0).toBeUndefined();
    // The first request of the load ends 52 ms after the start, having taken 17 ms; an iteration
    // that ends later began earlier still.
    appendFileSync(file, point('http_reqs', START + 52, 1) + point('http_req_duration', START + 52, 17.25) + point('iteration_duration', START + 130, 120));
    await live.poll();
    expect(live.started).toBe(START + 52);
    expect(live.t0).toBe(START + 10);
    expect(live.requests).toBe(1);
    await live.close();
  });
});

describe('loadStart', () => {
  it("takes the built-in engine's own start from load-generator.json", async () => {
    const file = path.join(workDir, 'load-generator.json');
    writeFileSync(file, JSON.stringify({ schemaVersion: 1, engine: 'builtin', startedAt: new Date(START).toISOString() }));
    expect(await loadStart(file, START + 35)).toEqual({ t0: START, source: 'engine-start' });
  });

  it('takes the start the load file tells when the engine records none (k6), or a damaged one', async () => {
    expect(await loadStart(path.join(workDir, 'absent.json'), START + 35)).toEqual({ t0: START + 35, source: 'load-file' });
    const damaged = path.join(workDir, 'damaged.json');
    writeFileSync(damaged, '{"startedAt": ');
    expect(await loadStart(damaged, START + 35)).toEqual({ t0: START + 35, source: 'load-file' });
    expect(await loadStart(damaged, undefined)).toBeUndefined();
  });
});
