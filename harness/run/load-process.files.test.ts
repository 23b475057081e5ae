/**
 * A trial's load, run by `harness run` through the engine itself: the trial directory gets what
 * `harness load` wrote there when it ran as a child — the same files, the engine's line first on
 * stderr, k6's progress lines and exit codes, an error's text — and the engine's events.
 */
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { LoadEngine, LoadRunOptions, LoadRunResult } from '../load/contract.ts';
import { createBuiltinEngine } from '../load/builtin/index.ts';
import { startTestServer, type TestServer } from '../load/builtin/testkit.ts';
import type { LoadEvent } from '../load/load-events.ts';
import { K6ConfigError } from '../load/metrics/errors.ts';
import { runCli } from '../testing/cli.ts';
import type { LoadPlan } from '../plan/run-plan.ts';
import { startLoad, type LoadFiles } from './load-process.ts';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'trial-load-'));
  writeFileSync(path.join(dir, 'script.js'), 'export default function () {}\n');
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

function filesIn(trialDir: string): LoadFiles {
  mkdirSync(trialDir, { recursive: true });
  return {
    ndjson: path.join(trialDir, 'load.ndjson'),
    summaryExport: path.join(trialDir, 'load-summary.json'),
    scriptBundle: path.join(trialDir, 'script.bundle.js'),
    engineStats: path.join(trialDir, 'load-generator.json'),
    stdout: path.join(trialDir, 'load.stdout.txt'),
    stderr: path.join(trialDir, 'load.stderr.txt'),
    cwd: trialDir,
  };
}

const plan = (extra: Partial<LoadPlan> = {}): LoadPlan => ({ script: path.join(dir, 'script.js'), engine: 'builtin', flags: [], env: { A: '1' }, durationMs: 1000, ...extra });

/** An engine that does what `run` says with the options it gets. */
function fakeEngine(run: (options: LoadRunOptions) => Promise<LoadRunResult>): LoadEngine {
  return { name: 'builtin', version: async () => 'fake-1', run };
}

const result = (exitCode: number, extra: Partial<LoadRunResult> = {}): LoadRunResult => ({
  engine: 'builtin',
  engineVersion: 'fake-1',
  exitCode,
  ndjsonPath: undefined,
  summaryExportPath: undefined,
  summary: undefined,
  ...extra,
});

describe("a trial's load, driven through its engine", () => {
  it("gives the engine harness load's options, and writes its output, progress and events where the trial keeps them", async () => {
    const files = filesIn(path.join(dir, 'trial'));
    let given: LoadRunOptions | undefined;
    const engine = fakeEngine(async (options) => {
      given = options;
      options.onEvent?.({ type: 'started', start: { at: 1_000.5, source: 'engine' } });
      options.onEvent?.({ type: 'requests', counts: [{ second: 1, requests: 3, failed: 1 }] });
      options.onProgress?.('running (01.0s), 1/1 VUs, 3 complete and 0 interrupted iterations');
      options.stdout?.write('the summary\n');
      options.stderr?.write('INFO[0001] a log line\n');
      return result(99, { start: { at: 1_000.5, source: 'engine' } });
    });
    const events: LoadEvent[] = [];
    const load = startLoad(engine, plan({ flags: ['--vus', '3', '--duration=2s'] }), 'http://127.0.0.1:8080', files, (event) => events.push(event));
    expect(await load.ended).toEqual({ exitCode: 99, start: { at: 1_000.5, source: 'engine' } });
    expect(given).toMatchObject({
      script: path.join(dir, 'script.js'),
      cwd: files.cwd,
      env: { A: '1', BASE_URL: 'http://127.0.0.1:8080' },
      vus: 3,
      duration: '2s',
      ndjsonPath: files.ndjson,
      summaryExportPath: files.summaryExport,
      bundlePath: files.scriptBundle,
      loadGeneratorStatsPath: files.engineStats,
    });
    expect(events.map((event) => event.type)).toEqual(['started', 'requests']);
    expect(readFileSync(files.stdout, 'utf8')).toBe('the summary\n');
    expect(readFileSync(files.stderr, 'utf8')).toBe(
      'harness load: engine builtin (fake-1)\nrunning (01.0s), 1/1 VUs, 3 complete and 0 interrupted iterations\nINFO[0001] a log line\n',
    );
  });

  it("writes an error as harness load printed it, with its exit code: k6's for a configuration error, else the harness's", async () => {
    const refused = filesIn(path.join(dir, 'refused'));
    const config = fakeEngine(async () => {
      throw new K6ConfigError('invalid threshold expression "p95<1"');
    });
    expect((await startLoad(config, plan(), 'http://x', refused, () => undefined).ended).exitCode).toBe(104);
    expect(readFileSync(refused.stderr, 'utf8')).toBe('harness load: engine builtin (fake-1)\nerror [E_K6_CONFIG]: invalid threshold expression "p95<1"\n');

    const crashed = filesIn(path.join(dir, 'crashed'));
    const bug = fakeEngine(async () => {
      throw new Error('the engine broke');
    });
    expect((await startLoad(bug, plan(), 'http://x', crashed, () => undefined).ended).exitCode).toBe(2);
    expect(readFileSync(crashed.stderr, 'utf8')).toContain('error: the engine broke\n  hint: run again with HARNESS_DEBUG=1');

    const badFlag = filesIn(path.join(dir, 'bad-flag'));
    expect((await startLoad(bug, plan({ flags: ['--paused'] }), 'http://x', badFlag, () => undefined).ended).exitCode).toBe(2);
    expect(readFileSync(badFlag.stderr, 'utf8')).toContain('error [E_INPUT]: load flags: "--paused" is not allowed');
  });

  it('stops the load as Ctrl-C does, then kills it after the grace period', async () => {
    const files = filesIn(path.join(dir, 'stopped'));
    const seen: string[] = [];
    let running: () => void = () => undefined;
    const started = new Promise<void>((resolve) => (running = resolve));
    // An engine that ignores the stop.
    const engine = fakeEngine(
      (options) =>
        new Promise((resolve) => {
          options.signal?.addEventListener('abort', () => seen.push('stop'));
          options.kill?.addEventListener('abort', () => {
            seen.push('kill');
            resolve(result(105));
          });
          running();
        }),
    );
    const load = startLoad(engine, plan(), 'http://x', files, () => undefined);
    await started;
    load.stop(50);
    expect((await load.ended).exitCode).toBe(105);
    expect(seen).toEqual(['stop', 'kill']);
  });
});

describe("a trial's load with the built-in engine", () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer();
  });
  afterAll(async () => {
    await server.close();
  });

  it('leaves the files `harness load` leaves for the same load, with the same exit code', async () => {
    writeFileSync(path.join(dir, 'script.js'), "import http from 'k6/http';\nexport const options = { iterations: 5 };\nexport default function () { http.get(__ENV.BASE_URL + '/ok'); }\n");
    const byRun = filesIn(path.join(dir, 'run'));
    const events: LoadEvent[] = [];
    const ended = await startLoad(createBuiltinEngine(), plan(), server.base, byRun, (event) => events.push(event)).ended;

    const byCommand = filesIn(path.join(dir, 'command'));
    const command = await runCli([
      'load', path.join(dir, 'script.js'), '--engine', 'builtin',
      '--out', `json=${byCommand.ndjson}`, '--summary-export', byCommand.summaryExport, '--script-bundle', byCommand.scriptBundle,
      '--engine-stats', byCommand.engineStats, '-e', 'A=1', '-e', `BASE_URL=${server.base}`,
    ]);
    writeFileSync(byCommand.stdout, command.stdout);
    writeFileSync(byCommand.stderr, command.stderr);

    expect(ended.exitCode).toBe(command.code);
    expect(readdirSync(path.join(dir, 'run')).sort()).toEqual(readdirSync(path.join(dir, 'command')).sort());
    const firstLine = (file: string): string => readFileSync(file, 'utf8').split('\n')[0]!;
    expect(firstLine(byRun.stderr)).toBe(firstLine(byCommand.stderr));
    for (const files of [byRun, byCommand]) expect(readFileSync(files.stdout, 'utf8')).toContain('http_reqs');
    expect(events.filter((event) => event.type === 'requests').flatMap((event) => (event.type === 'requests' ? event.counts : [])).reduce((n, c) => n + c.requests, 0)).toBe(5);
  });
});
