/**
 * The arrival-rate executors at high rates, against a real server answering after 20 ms: the rate
 * is held, iterations are dropped only when every allowed VU is busy, and VUs grow from
 * preAllocatedVUs to maxVUs. The machine is small and shared, so the assertions are on counts
 * (exact where the schedule makes them exact); VU pools are sized far above need where a
 * stalled machine could otherwise make them run short.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pointsOf, runScript, startTestServer, sumOf, type CapturedRun, type TestServer } from '../testkit.ts';
import { arrivalOffsets } from './arrival-offsets.ts';

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(async () => {
  await server.close();
});

function arrivalScript(scenario: string): Record<string, string> {
  return {
    'script.js': `
import http from 'k6/http';
export const options = { scenarios: { s: ${scenario} } };
export default function () { http.get(__ENV.BASE + '/slow/20'); }
`,
  };
}

async function runArrival(scenario: string): Promise<CapturedRun> {
  const run = await runScript(arrivalScript(scenario), { env: { BASE: server.base } });
  expect(run.result.exitCode, run.stderr).toBe(0);
  return run;
}

/** Iterations the schedule plans: what was started plus what was dropped must add up to it. */
function scheduled(startRate: number, stages: Array<{ durationMs: number; target: number }>): number {
  const next = arrivalOffsets(startRate, stages, 1000);
  let count = 0;
  while (next() !== undefined) count++;
  return count;
}

describe('arrival-rate executors at high rates', () => {
  it('constant-arrival-rate holds 2,000/s against a 20 ms server with enough VUs: all started, none dropped', async () => {
    const before = server.hits.get('/slow/20') ?? 0;
    const run = await runArrival(`{ executor: 'constant-arrival-rate', rate: 2000, timeUnit: '1s', duration: '3s', preAllocatedVUs: 200, maxVUs: 2000 }`);
    const iterations = sumOf(run, 'iterations');
    expect(scheduled(2000, [{ durationMs: 3000, target: 2000 }])).toBe(6000);
    expect(Math.abs(iterations - 6000) / 6000).toBeLessThanOrEqual(0.02);
    expect(sumOf(run, 'dropped_iterations')).toBe(0);
    expect((server.hits.get('/slow/20') ?? 0) - before).toBe(iterations);
    // The bug this guards against ran each VU once and dropped the rest, at p50 ~75 ms.
    const durations = pointsOf(run, 'http_req_duration').map((p) => p.value).sort((a, b) => a - b);
    expect(durations[Math.floor(durations.length / 2)]).toBeLessThan(1000);
  });

  it('with too few VUs, drops what no VU can start and accounts for every scheduled iteration', async () => {
    // 10 VUs at 20 ms each can run ~500/s of the 2,000/s scheduled.
    const run = await runArrival(`{ executor: 'constant-arrival-rate', rate: 2000, timeUnit: '1s', duration: '2s', preAllocatedVUs: 10, maxVUs: 10 }`);
    const started = sumOf(run, 'iterations');
    const dropped = sumOf(run, 'dropped_iterations');
    expect(started + dropped).toBe(scheduled(2000, [{ durationMs: 2000, target: 2000 }]));
    // The VUs keep running iterations back to back (not once each); 10 VUs of ≥ 20 ms (a timer may
    // fire up to 1 ms early) start at most ~1,060 of the 4,000 in 2 s.
    expect(started).toBeGreaterThan(200);
    expect(dropped).toBeGreaterThanOrEqual(2000);
    expect(Math.max(...pointsOf(run, 'vus_max').map((p) => p.value))).toBe(10);
    expect(pointsOf(run, 'dropped_iterations').every((p) => p.tags['scenario'] === 's')).toBe(true);
    expect(run.stderr.match(/Insufficient VUs, reached 10 active VUs and cannot initialize more/g)).toHaveLength(1);
  });

  it('ramping-arrival-rate from 100 to 3,000/s starts the integral of its rate (within 2 %)', async () => {
    const stages = [{ durationMs: 3000, target: 3000 }];
    const run = await runArrival(`{ executor: 'ramping-arrival-rate', startRate: 100, timeUnit: '1s', preAllocatedVUs: 50, maxVUs: 2000, stages: [{ target: 3000, duration: '3s' }] }`);
    const integral = ((100 + 3000) / 2) * 3;
    expect(Math.abs(scheduled(100, stages) - integral)).toBeLessThanOrEqual(1);
    const ends = pointsOf(run, 'iterations').map((p) => Date.parse(p.time));
    expect(Math.abs(ends.length - integral) / integral).toBeLessThanOrEqual(0.02);
    // A ramp, not a constant rate: the first half of the run holds ~27 % of the iterations
    // ((100 + 1,550) / 2 × 1.5 s of 4,650), a constant rate would hold 50 %.
    const first = Math.min(...ends);
    const firstHalf = ends.filter((t) => t - first < 1500).length / ends.length;
    expect(firstHalf).toBeGreaterThan(0.15);
    expect(firstHalf).toBeLessThan(0.4);
  });

  it('grows from preAllocatedVUs towards maxVUs without dropping while VUs remain', async () => {
    // ~20 VUs are busy at 1,000/s × 20 ms: 2 pre-allocated are far too few.
    const run = await runArrival(`{ executor: 'constant-arrival-rate', rate: 1000, timeUnit: '1s', duration: '2s', preAllocatedVUs: 2, maxVUs: 500 }`);
    expect(sumOf(run, 'dropped_iterations')).toBe(0);
    expect(sumOf(run, 'iterations')).toBe(2000);
    const vusMax = pointsOf(run, 'vus_max').map((p) => p.value);
    expect(Math.max(...vusMax)).toBeGreaterThanOrEqual(10);
    expect(Math.max(...vusMax)).toBeLessThanOrEqual(500);
    expect(run.stderr).not.toContain('Insufficient VUs');
  });

  it('lasts its whole duration when the last start comes earlier, as in k6', async () => {
    // 10/s down to 0 in 1 s: 5 starts, the last ~0.55 s in.
    const run = await runArrival(`{ executor: 'ramping-arrival-rate', startRate: 10, timeUnit: '1s', preAllocatedVUs: 2, maxVUs: 2, stages: [{ target: 0, duration: '1s' }] }`);
    expect(sumOf(run, 'iterations')).toBe(5);
    const state = (run.result.summary as { state: { testRunDurationMs: number } }).state;
    expect(state.testRunDurationMs).toBeGreaterThanOrEqual(1000);
  });

  it('logs a VU that fails to initialise, counts its iteration as dropped and goes on', async () => {
    const run = await runScript({
      'script.js': `
import http from 'k6/http';
if (__VU > 2) throw new Error('no init for VU ' + __VU);
export const options = { scenarios: { s: { executor: 'constant-arrival-rate', rate: 20, timeUnit: '1s', duration: '500ms', preAllocatedVUs: 1, maxVUs: 3 } } };
export default function () { http.get(__ENV.BASE + '/slow/200'); }
`,
    }, { env: { BASE: server.base } });
    expect(run.result.exitCode).toBe(0);
    expect(run.stderr.match(/Error while allocating unplanned VU/g)).toHaveLength(1);
    expect(run.stderr).toContain('no init for VU 3');
    const started = sumOf(run, 'iterations');
    expect(started).toBeGreaterThanOrEqual(2);
    expect(started + sumOf(run, 'dropped_iterations')).toBe(10);
  });

  it('interrupts iterations still running after gracefulStop, including those of VUs it grew', async () => {
    const run = await runScript({
      'script.js': `
import http from 'k6/http';
export const options = { scenarios: { s: { executor: 'constant-arrival-rate', rate: 20, timeUnit: '1s', duration: '500ms', preAllocatedVUs: 1, maxVUs: 3, gracefulStop: '300ms' } } };
export default function () { http.get(__ENV.BASE + '/hang'); }
`,
    }, { env: { BASE: server.base } });
    // 10 scheduled: 3 VUs (1 pre-allocated, 2 grown) hang until interrupted, the other 7 are dropped.
    expect(sumOf(run, 'dropped_iterations')).toBe(7);
    expect(pointsOf(run, 'iterations')).toHaveLength(0);
    expect(run.progress.at(-1)).toContain('0 complete and 3 interrupted iterations');
    expect(run.elapsedMs).toBeLessThan(5000);
  });
});
