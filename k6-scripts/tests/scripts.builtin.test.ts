/**
 * The project's k6 scripts on the built-in engine against the real reference app (in-process,
 * memory store, 127.0.0.1, port 0): sessions start, every response is tagged with the replica, no
 * session is lost while nothing fails — and when the app's sessions are wiped (a restart on the same
 * port) or its state falls behind (a stale replica), each lost session is counted exactly once.
 */
import { describe, expect, it } from 'vitest';
import { METRIC_APP_RESPONSES, METRIC_SESSION_LOST, METRIC_SESSION_STARTED, NO_REPLICA } from '../lib/metric-names.ts';
import { pointsOf, runScript, testApps, type ScriptRun } from './run-script.ts';
import { startStaleProxy, type StaleProxy } from './stale-proxy.ts';

const SCRIPTS = ['session-journey.ts', 'browse.ts'];
const RUN_TIMEOUT_MS = 60_000;
const WIPE_AFTER_REQUESTS = 60;

const { app, cleanups } = testApps();

function loadEnv(port: number, vus: number, duration: string): Record<string, string> {
  return { BASE_URL: `http://127.0.0.1:${port}`, VUS: String(vus), DURATION: duration, THINK_TIME: '0.02', GRACEFUL_STOP: '1s', REQUEST_TIMEOUT: '2s' };
}

/** Sessions named in session_lost, with how many times each was counted. */
function lostCounts(run: ScriptRun): Map<string, number> {
  const counts = new Map<string, number>();
  for (const p of pointsOf(run, METRIC_SESSION_LOST)) counts.set(p.tags['session'] ?? '?', (counts.get(p.tags['session'] ?? '?') ?? 0) + p.value);
  return counts;
}

describe.each(SCRIPTS)('%s on the built-in engine', (script) => {
  it('starts sessions, tags every response with the replica, and loses none', { timeout: RUN_TIMEOUT_MS }, async () => {
    const target = await app({ replica: 'app-1' });
    const run = await runScript(script, loadEnv(target.port, 4, '3s'));
    expect(run.stderr).not.toMatch(/level=error|ERRO/);
    expect(run.exitCode).toBe(0);

    const started = pointsOf(run, METRIC_SESSION_STARTED);
    expect(started.length).toBeGreaterThanOrEqual(4);
    for (const p of started) expect(p.tags).toMatchObject({ replica: 'app-1', session: expect.stringMatching(/^\d+-\d+$/) });

    const responses = pointsOf(run, METRIC_APP_RESPONSES);
    expect(responses.length).toBeGreaterThan(20);
    for (const p of responses) {
      expect(p.tags).toMatchObject({ replica: 'app-1', session: expect.stringMatching(/^\d+-\d+$/), status: expect.stringMatching(/^\d{3}$/) });
      expect(['login', 'add-item', 'cart', 'logout']).toContain(p.tags['name']);
    }
    for (const name of ['login', 'add-item', 'cart']) expect(responses.some((p) => p.tags['name'] === name), name).toBe(true);
    // The http_req* metrics carry the session and name tags too, so errors can be tied to sessions.
    const reqs = pointsOf(run, 'http_reqs');
    expect(reqs.length).toBe(responses.length);
    for (const p of reqs) expect(p.tags).toMatchObject({ session: expect.any(String), name: expect.any(String) });

    expect(pointsOf(run, METRIC_SESSION_LOST)).toEqual([]);
  });

  it('counts each session wiped by an app restart once, and logs in again', { timeout: RUN_TIMEOUT_MS }, async () => {
    const first = await app({ replica: 'app-a' });
    const port = first.port;
    // Restart on the same port once app-a has served some traffic (the engine's start-up time varies
    // with the machine's load): memory sessions die with the first instance.
    let stoppedAt = 0;
    let restarting: Promise<void> | undefined;
    let served = 0;
    first.app.server.on('request', () => {
      served += 1;
      if (served !== WIPE_AFTER_REQUESTS) return;
      restarting = (async (): Promise<void> => {
        await first.stop();
        stoppedAt = Date.now();
        await app({ replica: 'app-b', port });
      })();
    });
    const run = await runScript(script, loadEnv(port, 4, '4s'));
    await restarting;
    expect(stoppedAt, 'app-a never served enough requests to be restarted').toBeGreaterThan(0);
    expect(run.exitCode).toBe(0);

    const lost = pointsOf(run, METRIC_SESSION_LOST);
    expect(lost.length).toBeGreaterThanOrEqual(1);
    expect(lost.length).toBeLessThanOrEqual(4); // at most one live session per VU at the wipe
    for (const [session, count] of lostCounts(run)) expect(count, session).toBe(1);
    for (const p of lost) {
      expect(p.tags).toMatchObject({ reason: 'unknown_session', replica: 'app-b', last_replica: 'app-a' });
      expect(p.time).toBeGreaterThanOrEqual(stoppedAt);
    }
    // Every lost session was started on app-a, and the VUs started new ones on app-b.
    const started = pointsOf(run, METRIC_SESSION_STARTED);
    const startedOn = new Map(started.map((p) => [p.tags['session'], p.tags['replica']]));
    for (const p of lost) expect(startedOn.get(p.tags['session'])).toBe('app-a');
    expect(started.filter((p) => p.tags['replica'] === 'app-b').length).toBeGreaterThanOrEqual(1);
    // Requests refused while the app was down are network errors, not lost sessions.
    const refused = pointsOf(run, METRIC_APP_RESPONSES).filter((p) => p.tags['status'] === '0');
    for (const p of refused) expect(p.tags['replica']).toBe(NO_REPLICA);
  });

  it('counts each session whose cart falls behind once (state_behind)', { timeout: RUN_TIMEOUT_MS }, async () => {
    const target = await app({ replica: 'app-1' });
    const proxy: StaleProxy = await startStaleProxy(target.port);
    cleanups.push(() => proxy.close());
    let served = 0;
    target.app.server.on('request', () => {
      served += 1;
      if (served === WIPE_AFTER_REQUESTS) proxy.goStale();
    });
    const run = await runScript(script, loadEnv(proxy.port, 3, '3s'));
    expect(served).toBeGreaterThanOrEqual(WIPE_AFTER_REQUESTS);
    expect(run.exitCode).toBe(0);

    const lost = pointsOf(run, METRIC_SESSION_LOST);
    expect(lost.length).toBeGreaterThanOrEqual(1);
    for (const [session, count] of lostCounts(run)) expect(count, session).toBe(1);
    for (const p of lost) expect(p.tags).toMatchObject({ reason: 'state_behind', replica: 'stale', last_replica: 'app-1' });
  });
});
