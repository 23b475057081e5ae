import { readFileSync, existsSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pointsOf, runScript, startTestServer, sumOf, type TestServer } from './testkit.ts';

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(async () => {
  await server.close();
});

describe('k6 APIs and the test life cycle in the built-in engine', () => {
  it('gives each VU its own module state, including in local imports, and a VU-bound k6/execution', async () => {
    const run = await runScript({
      'lib/state.js': `export let calls = 0;\nexport function bump() { calls++; return calls; }\n`,
      'script.js': `
import { bump, calls } from './lib/state.js';
import { Counter, Trend } from 'k6/metrics';
import exec from 'k6/execution';
import { sleep } from 'k6';
const perVu = new Trend('per_vu_calls');
const initVu = __VU;
let local = 0;
export const options = { scenarios: { s: { executor: 'per-vu-iterations', vus: 3, iterations: 4, tags: { team: 'x' }, env: { FROM_SCENARIO: 'yes' } } } };
export default function () {
  local++;
  bump();
  perVu.add(calls, { vu: String(exec.vu.idInTest), iter: String(__ITER), local: String(local), init: String(initVu), env: __ENV.FROM_SCENARIO, scen: exec.scenario.name, iis: String(exec.vu.iterationInScenario) });
  sleep(0.01);
}
`,
    });
    expect(run.result.exitCode).toBe(0);
    const samples = pointsOf(run, 'per_vu_calls');
    expect(samples.length).toBe(12);
    for (const p of samples) {
      // Module state (imported live binding and local) counts this VU's iterations only.
      expect(p.value).toBe(Number(p.tags['iter']) + 1);
      expect(p.tags['local']).toBe(String(p.value));
      expect(p.tags['init']).toBe(p.tags['vu']);
      expect(p.tags['iis']).toBe(p.tags['iter']);
      expect(p.tags).toMatchObject({ env: 'yes', scen: 's', team: 'x', scenario: 's' });
    }
    expect(new Set(samples.map((p) => p.tags['vu']))).toEqual(new Set(['1', '2', '3']));
  });

  it('passes setup data (JSON-copied) to VUs and teardown, and writes handleSummary files', async () => {
    const run = await runScript({
      'script.js': `
import http from 'k6/http';
import { check, group } from 'k6';
import { Counter } from 'k6/metrics';
const seen = new Counter('seen_token');
export const options = { vus: 2, iterations: 4 };
export function setup() { const r = http.get(__ENV.BASE + '/json'); return { token: 'abc', count: r.json('count'), when: new Date(0) }; }
export default function (data) {
  group('outer', function () {
    group('inner', () => {
      check(data, { 'setup data arrived': (d) => d.token === 'abc' && d.count === 2 && typeof d.when === 'string' });
    });
  });
  seen.add(1);
}
export function teardown(data) { check(data, { 'teardown data': (d) => d.token === 'abc' }); }
export function handleSummary(data) {
  return { 'reports/summary.json': JSON.stringify({ iterations: data.metrics.iterations.values.count, groups: data.root_group.groups.map((g) => g.name), setup: data.setup_data }), stdout: 'custom\\n' };
}
`,
    }, { env: { BASE: server.base } });
    expect(run.result.exitCode).toBe(0);
    expect(run.stdout).toBe('custom\n');
    const file = path.join(run.dir, 'reports/summary.json');
    expect(existsSync(file)).toBe(true);
    const summary = JSON.parse(readFileSync(file, 'utf8')) as { iterations: number; groups: string[]; setup: { token: string } };
    expect(summary.iterations).toBe(4);
    expect(summary.groups).toEqual(expect.arrayContaining(['setup', 'outer', 'teardown']));
    expect(summary.setup.token).toBe('abc');
    const checks = pointsOf(run, 'checks');
    expect(checks.filter((p) => p.tags['check'] === 'setup data arrived' && p.value === 1).length).toBe(4);
    expect(checks.find((p) => p.tags['check'] === 'setup data arrived')!.tags['group']).toBe('::outer::inner');
    expect(checks.find((p) => p.tags['check'] === 'teardown data')!).toMatchObject({ value: 1, tags: { group: '::teardown' } });
    const groups = pointsOf(run, 'group_duration').map((p) => p.tags['group']);
    expect(groups).toEqual(expect.arrayContaining(['::outer::inner', '::outer']));
    // setup's request is tagged with the ::setup group and no scenario, as in k6.
    const setupReq = pointsOf(run, 'http_reqs').find((p) => p.tags['group'] === '::setup')!;
    expect(setupReq.tags['scenario']).toBeUndefined();
    expect(sumOf(run, 'seen_token')).toBe(4);
  });

  it('reads files with open() in init code only, and logs an exception without stopping the run', async () => {
    const run = await runScript({
      'data/users.json': JSON.stringify([{ name: 'ann' }, { name: 'bob' }]),
      'script.js': `
import { check } from 'k6';
import { SharedArray } from 'k6/data';
const users = JSON.parse(open('./data/users.json'));
const shared = new SharedArray('users', function () { return JSON.parse(open('./data/users.json')); });
export const options = { iterations: 4 };
export default function () {
  check(users, { 'open in init': (u) => u.length === 2 && shared[1].name === 'bob' });
  if (__ITER === 1) throw new Error('boom in iteration');
  if (__ITER === 2) open('./data/users.json');
}
`,
    });
    expect(run.result.exitCode).toBe(0);
    expect(run.stderr).toContain('boom in iteration');
    expect(run.stderr).toMatch(/script\.js:9/);
    expect(run.stderr).toContain('only available in the init stage');
    expect(pointsOf(run, 'checks').filter((p) => p.value === 1).length).toBe(4);
    expect(run.progress.at(-1)).toMatch(/2 complete and 2 interrupted iterations/);
  });

  it('runs TypeScript scripts with local TypeScript imports', async () => {
    const run = await runScript(
      {
        'helpers.ts': `import http from 'k6/http';\nexport interface Hit { status: number }\nexport function hit(base: string): Hit { return { status: http.get(base + '/ok').status }; }\n`,
        'script.ts': `import { check } from 'k6';\nimport { hit, type Hit } from './helpers.ts';\nexport default function (): void {\n  const h: Hit = hit(__ENV.BASE as string);\n  check(h, { 'ts ok': (x: Hit) => x.status === 200 });\n}\n`,
      },
      { env: { BASE: server.base } },
      'script.ts',
    );
    expect(run.result.exitCode).toBe(0);
    expect(pointsOf(run, 'checks')).toMatchObject([{ value: 1, tags: { check: 'ts ok' } }]);
  });

  it('exits 99 when a threshold fails and 0 when all pass, with submetric selectors', async () => {
    const script = (threshold: string) => `
import http from 'k6/http';
export const options = { iterations: 5, thresholds: { 'http_req_duration{name:fast}': ['p(95)<5000'], http_req_failed: ['${threshold}'] } };
export default function () { http.get(__ENV.BASE + '/ok', { tags: { name: 'fast' } }); http.get(__ENV.BASE + '/status/500'); }
`;
    const pass = await runScript({ 'script.js': script('rate<0.9') }, { env: { BASE: server.base } });
    expect(pass.result.exitCode).toBe(0);
    const fail = await runScript({ 'script.js': script('rate<0.1') }, { env: { BASE: server.base } });
    expect(fail.result.exitCode).toBe(99);
    const summary = fail.result.summary as { metrics: Record<string, { thresholds?: Record<string, { ok: boolean }> }> };
    expect(summary.metrics['http_req_failed']!.thresholds).toEqual({ 'rate<0.1': { ok: false } });
    expect(summary.metrics['http_req_duration{name:fast}']!.thresholds).toEqual({ 'p(95)<5000': { ok: true } });
    expect(fail.stdout).toContain('http_req_failed');
  });

  it('aborts the run early on an abortOnFail threshold (exit 99) and still runs teardown', async () => {
    const run = await runScript({
      'script.js': `
import http from 'k6/http';
import { sleep, check } from 'k6';
export const options = { vus: 2, duration: '20s', thresholds: { http_req_failed: [{ threshold: 'rate<0.1', abortOnFail: true }] } };
export default function () { http.get(__ENV.BASE + '/status/500'); sleep(0.05); }
export function teardown() { check(1, { 'teardown ran': () => true }); }
`,
    }, { env: { BASE: server.base } });
    expect(run.result.exitCode).toBe(99);
    expect(run.elapsedMs).toBeLessThan(10_000);
    expect(pointsOf(run, 'checks').map((p) => p.tags['check'])).toContain('teardown ran');
  });

  it('stops on exec.test.abort() with exit 108 and on an AbortSignal with exit 105, writing outputs', async () => {
    const aborted = await runScript({
      'script.js': `
import exec from 'k6/execution';
import { sleep } from 'k6';
export const options = { vus: 1, duration: '20s' };
export default function () { if (__ITER === 2) exec.test.abort('enough'); sleep(0.01); }
`,
    });
    expect(aborted.result.exitCode).toBe(108);
    expect(aborted.elapsedMs).toBeLessThan(10_000);
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 700);
    const cancelled = await runScript({
      'script.js': `import { sleep } from 'k6';\nexport const options = { vus: 2, duration: '30s' };\nexport default function () { sleep(5); }\nexport function teardown() { console.log('teardown after cancel'); }\n`,
    }, { signal: controller.signal });
    expect(cancelled.result.exitCode).toBe(105);
    expect(cancelled.elapsedMs).toBeLessThan(10_000);
    expect(cancelled.stderr).toContain('teardown after cancel');
    expect(cancelled.result.ndjsonPath).toBeDefined();
    expect(existsSync(cancelled.result.ndjsonPath!)).toBe(true);
  });
});
