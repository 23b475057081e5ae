import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pointsOf, runScript, startTestServer, sumOf, type TestServer } from './testkit.ts';
import { arrivalOffsets } from './executors/arrival-offsets.ts';
import { rampingVusAt } from './executors/ramping-vus.ts';
import { resolveOptions } from './options.ts';

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(async () => {
  await server.close();
});

describe('scenario executors', () => {
  it('constant-arrival-rate starts iterations at its rate (within 5 %) and counts dropped iterations', async () => {
    const run = await runScript({
      'script.js': `
import http from 'k6/http';
export const options = { scenarios: {
  steady: { executor: 'constant-arrival-rate', rate: 40, timeUnit: '1s', duration: '2s', preAllocatedVUs: 2, maxVUs: 5 },
  starved: { executor: 'constant-arrival-rate', rate: 20, timeUnit: '1s', duration: '1s', preAllocatedVUs: 1, maxVUs: 1, exec: 'slow' },
} };
export default function () { http.get(__ENV.BASE + '/ok'); }
export function slow() { http.get(__ENV.BASE + '/slow/300'); }
`,
    }, { env: { BASE: server.base } });
    expect(run.result.exitCode).toBe(0);
    const steady = sumOf(run, 'iterations', (t) => t['scenario'] === 'steady');
    expect(Math.abs(steady - 80) / 80).toBeLessThanOrEqual(0.05);
    const dropped = sumOf(run, 'dropped_iterations', (t) => t['scenario'] === 'starved');
    const starved = sumOf(run, 'iterations', (t) => t['scenario'] === 'starved');
    expect(dropped).toBeGreaterThan(10);
    expect(starved + dropped).toBeGreaterThanOrEqual(19);
    expect(starved + dropped).toBeLessThanOrEqual(21);
  });

  it('ramping-arrival-rate follows its stages (within 5 %)', async () => {
    const run = await runScript({
      'script.js': `
import http from 'k6/http';
export const options = { scenarios: { ramp: { executor: 'ramping-arrival-rate', startRate: 0, timeUnit: '1s', preAllocatedVUs: 3, maxVUs: 10,
  stages: [{ target: 60, duration: '1s' }, { target: 60, duration: '1s' }] } } };
export default function () { http.get(__ENV.BASE + '/ok'); }
`,
    }, { env: { BASE: server.base } });
    // 30 iterations in the ramp (area of the triangle) and 60 at the plateau.
    const total = sumOf(run, 'iterations');
    expect(Math.abs(total - 90) / 90).toBeLessThanOrEqual(0.05);
    const next = arrivalOffsets(0, [{ durationMs: 1000, target: 60 }, { durationMs: 1000, target: 60 }], 1000);
    const offsets: number[] = [];
    for (let o = next(); o !== undefined; o = next()) offsets.push(o);
    expect(offsets.length).toBe(90);
    expect(offsets.filter((o) => o < 1000).length).toBe(30);
  });

  it('ramping-vus follows its stages', async () => {
    expect([0, 250, 500, 999, 1000, 1500, 2000].map((t) => rampingVusAt(0, [{ durationMs: 1000, target: 4 }, { durationMs: 1000, target: 0 }], t))).toEqual([0, 1, 2, 3, 4, 2, 0]);
    const run = await runScript({
      'script.js': `
import http from 'k6/http';
import { sleep } from 'k6';
import exec from 'k6/execution';
export const options = { stages: [{ duration: '1s', target: 4 }, { duration: '1s', target: 4 }, { duration: '500ms', target: 0 }], gracefulRampDown: '0s' };
export default function () { http.get(__ENV.BASE + '/ok?vu=' + exec.vu.idInTest); sleep(0.05); }
`,
    }, { env: { BASE: server.base } });
    expect(run.result.exitCode).toBe(0);
    const vuIds = new Set(pointsOf(run, 'http_reqs').map((p) => new URL(p.tags['url']!).searchParams.get('vu')));
    expect(vuIds).toEqual(new Set(['1', '2', '3', '4']));
    expect(Math.max(...pointsOf(run, 'vus').map((p) => p.value))).toBe(4);
    expect(Math.max(...pointsOf(run, 'vus_max').map((p) => p.value))).toBe(4);
    expect(run.elapsedMs).toBeLessThan(6000);
  });

  it('per-vu-iterations and shared-iterations run exactly their iterations; startTime delays a scenario', async () => {
    const run = await runScript({
      'script.js': `
import exec from 'k6/execution';
import { Counter } from 'k6/metrics';
const byVu = new Counter('by_vu');
export const options = { scenarios: {
  each: { executor: 'per-vu-iterations', vus: 3, iterations: 5 },
  shared: { executor: 'shared-iterations', vus: 4, iterations: 10, startTime: '300ms', exec: 'other' },
} };
export default function () { byVu.add(1, { vu: String(exec.vu.idInTest) }); }
export function other() { byVu.add(1, { vu: String(exec.vu.idInTest), when: String(Date.now()) }); }
`,
    });
    expect(sumOf(run, 'iterations', (t) => t['scenario'] === 'each')).toBe(15);
    expect(sumOf(run, 'iterations', (t) => t['scenario'] === 'shared')).toBe(10);
    const each = pointsOf(run, 'by_vu').filter((p) => p.tags['scenario'] === 'each');
    const perVu = new Map<string, number>();
    for (const p of each) perVu.set(p.tags['vu']!, (perVu.get(p.tags['vu']!) ?? 0) + 1);
    expect([...perVu.values()]).toEqual([5, 5, 5]);
    const firstShared = pointsOf(run, 'iterations').find((p) => p.tags['scenario'] === 'shared')!;
    const firstEach = pointsOf(run, 'iterations').find((p) => p.tags['scenario'] === 'each')!;
    expect(Date.parse(firstShared.time) - Date.parse(firstEach.time)).toBeGreaterThanOrEqual(250);
  });

  it('ends within gracefulStop when a request hangs, interrupting the iteration', async () => {
    const run = await runScript({
      'script.js': `
import http from 'k6/http';
export const options = { scenarios: { s: { executor: 'constant-vus', vus: 1, duration: '500ms', gracefulStop: '500ms' } } };
export default function () { http.get(__ENV.BASE + '/hang'); }
`,
    }, { env: { BASE: server.base } });
    expect(run.elapsedMs).toBeLessThan(4000);
    expect(pointsOf(run, 'iterations').length).toBe(0);
    expect(run.progress.at(-1)).toContain('0 complete and 1 interrupted iterations');
  });

  it('applies CLI overrides with k6 precedence', () => {
    const warn = (): void => {};
    const scripted = { vus: 5, duration: '1m', scenarios: undefined };
    expect(resolveOptions(scripted, {}, warn).scenarios[0]).toMatchObject({ executor: 'constant-vus', vus: 5, durationMs: 60_000 });
    expect(resolveOptions(scripted, { iterations: 7 }, warn).scenarios[0]).toMatchObject({ executor: 'shared-iterations', vus: 5, iterations: 7 });
    const withScenarios = { scenarios: { a: { executor: 'constant-vus', vus: 2, duration: '1s' } } };
    expect(resolveOptions(withScenarios, { vus: 9 }, warn).scenarios[0]).toMatchObject({ name: 'a', vus: 2 });
    expect(resolveOptions(withScenarios, { vus: 9, duration: '3s' }, warn).scenarios[0]).toMatchObject({ name: 'default', executor: 'constant-vus', vus: 9, durationMs: 3000 });
    expect(resolveOptions({ stages: [{ duration: '1s', target: 3 }] }, {}, warn).scenarios[0]).toMatchObject({ executor: 'ramping-vus', startVUs: 1 });
    expect(resolveOptions({}, {}, warn).scenarios[0]).toMatchObject({ executor: 'per-vu-iterations', vus: 1, iterations: 1 });
    expect(() => resolveOptions({ duration: '1s', scenarios: {} }, {}, warn)).toThrow(/simultaneously/);
    expect(() => resolveOptions({ scenarios: { x: { executor: 'externally-controlled' } } }, {}, warn)).toThrow(/not supported/);
  });
});
