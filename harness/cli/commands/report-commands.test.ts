import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { compareTrials } from '../../analysis/figures/comparison.ts';
import { faultEvent, writeSyntheticRun, type SyntheticRequest } from '../../analysis/testing/synthetic-run.ts';
import { fixtureResults, fixtureRunDir } from '../../report/testing/fixtures.ts';
import { runCli } from '../../testing/cli.ts';

// `harness gate | report | compare` end to end, in a child process: exit codes, output, files.
const dirs: string[] = [];
afterAll(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});
const tracked = (dir: string): string => {
  dirs.push(dir);
  return dir;
};

const T0 = Date.UTC(2026, 10, 28, 12, 0, 0);
function requests(seconds: number): SyntheticRequest[] {
  return Array.from({ length: seconds * 40 }, (_, k) => {
    const time = T0 + k * 25 + 3;
    // The kill at 10 s costs 0.5 s of errors.
    const failed = time >= T0 + 10_000 && time < T0 + 10_500;
    return { time, durationMs: 4 + (k % 9), failed, replica: failed ? 'none' : `app-${(k % 3) + 1}`, session: `s-${k % 6}` };
  });
}

/** A run directory with raw files only (no results.json): what `harness run` leaves before analysis. */
function rawRunDir(): string {
  const dir = tracked(mkdtempSync(path.join(os.tmpdir(), 'harness-raw-run-')));
  writeSyntheticRun(
    dir,
    ['stateful', 'stateless'].map((architecture) => ({
      trial: { name: architecture, architecture, t0: T0, endedAt: T0 + 20_000, initialReplicas: ['app-1', 'app-2', 'app-3'] },
      requests: requests(20),
      events: [faultEvent({ index: 0, action: 'kill', targets: ['app-2'], startedAt: T0 + 10_000 })],
    })),
    {
      runId: 'r-raw',
      name: 'synthetic',
      seed: 7,
      status: 'completed',
      scenario: { name: 'synthetic', architectures: ['stateful', 'stateless'], thresholds: { stateful: [{ metric: 'error_rate', max: 0.5, scope: 'trial' }] } },
      trials: ['stateful', 'stateless'],
    },
  );
  return dir;
}

const noStack = (stderr: string): void => expect(stderr).not.toMatch(/\n\s+at /);

describe('harness gate', () => {
  it('exits 0 when every threshold passes, printing the verdict and writing junit.xml and summary.md only', async () => {
    const dir = tracked(fixtureRunDir());
    const result = await runCli(['gate', dir, '--max-error-rate', 'stateless=0.01', '--max-session-loss', 'stateless:fault-windows=0']);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toMatch(/^PASSED: all 2 thresholds \(run r20261201-232744-30ac\)/);
    expect(existsSync(path.join(dir, 'junit.xml'))).toBe(true);
    expect(readFileSync(path.join(dir, 'summary.md'), 'utf8')).toMatch(/^## ✅ default comparison: all 2 thresholds passed/);
    expect(existsSync(path.join(dir, 'report.html'))).toBe(false);
  });

  it('exits 1 when a threshold fails, failed ones first', async () => {
    const dir = tracked(fixtureRunDir());
    const result = await runCli(['gate', dir, '--max-error-rate', '0.0005', '--max-recovery-ms', '*=5s']);
    expect(result.code, result.stderr).toBe(1);
    expect(result.stdout.split('\n')[0]).toBe('FAILED: 1 of 4 thresholds (run r20261201-232744-30ac)');
    expect(result.stdout.split('\n')[1]).toMatch(/^ {2}FAIL {2}stateful {3}error_rate \(trial\) ≤ 0\.05 %/);
    expect(readFileSync(path.join(dir, 'junit.xml'), 'utf8')).toContain('<failure message="error_rate (trial) = 0.0521 %; max 0.05 %"');
  });

  it('exits 1 on the scenario’s own thresholds, and prints JSON with --json', async () => {
    const manifest = JSON.parse(readFileSync(path.join(fixtureRunDir(), 'manifest.json'), 'utf8')) as { scenario: { thresholds: Record<string, unknown[]> } };
    manifest.scenario.thresholds.stateful = [{ metric: 'sessions_lost', max: 0, scope: 'trial' }];
    const dir = tracked(fixtureRunDir({ manifest }));
    const result = await runCli(['gate', dir, '--json']);
    expect(result.code, result.stderr).toBe(1);
    expect(JSON.parse(result.stdout)).toMatchObject({ passed: false, checks: [{ trial: 'stateful', metric: 'sessions_lost', actual: 6, source: 'scenario' }] });
  });

  it.each([
    [['--max-error-rate', 'stateles=0.01'], /error \[E_INPUT\]: --max-error-rate: "stateles=0\.01" is not allowed; expected .*ARCH is one of/, /Did you mean "stateless"/],
    [['--max-p95-ms', 'stateful:windows=300'], /--max-p95-ms: "stateful:windows=300" is not allowed; expected .*SCOPE is one of "trial", "fault-windows"/, /hint/],
    [['--max-error-rate'], /error \[E_USAGE\]: --max-error-rate: nothing is not allowed; expected a value after --max-error-rate/, /hint: Write --max-error-rate VALUE/],
  ])('exits 2 on a bad threshold flag %j, naming it, without a stack trace', async (flags, message, hint) => {
    const dir = tracked(fixtureRunDir());
    const result = await runCli(['gate', dir, ...flags]);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(message);
    expect(result.stderr).toMatch(hint);
    noStack(result.stderr);
    expect(result.stderr).not.toMatch(/report it/);
  });

  it('exits 2 on a missing run directory and on a broken results.json', async () => {
    const missing = await runCli(['gate', path.join(os.tmpdir(), 'harness-no-such-run')]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/error \[E_RUN_DIR\]: .*harness-no-such-run: no such run directory/);
    noStack(missing.stderr);

    const dir = tracked(fixtureRunDir());
    writeFileSync(path.join(dir, 'results.json'), '{"schemaVersion": 4, "trials": "nope"}');
    const broken = await runCli(['gate', dir]);
    expect(broken.code).toBe(2);
    expect(broken.stderr).toMatch(/error \[E_RESULTS\]: .*results\.json: does not match the results schema/);
    noStack(broken.stderr);
  });

  it('analyses the raw files when results.json is missing', async () => {
    const dir = rawRunDir();
    const result = await runCli(['gate', dir]);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toMatch(/^PASSED: all 1 thresholds \(run r-raw\)/);
    expect(existsSync(path.join(dir, 'results.json'))).toBe(true);
  });
});

describe('harness report', () => {
  it('rebuilds every output from the raw files, and exits 0 whatever the verdict', async () => {
    const dir = rawRunDir();
    const result = await runCli(['report', dir, '--max-error-rate', '0']);
    expect(result.code, result.stderr).toBe(0);
    for (const file of ['results.json', 'report.html', 'summary.md', 'junit.xml']) {
      expect(result.stderr).toContain(`wrote ${path.join(dir, file)}`);
      expect(existsSync(path.join(dir, file))).toBe(true);
    }
    // The flag's error_rate replaces the scenario's stateful one (same metric and scope) and adds stateless's.
    expect(result.stdout).toMatch(/^FAILED: 2 of 2 thresholds \(run r-raw\)/);
    const html = readFileSync(path.join(dir, 'report.html'), 'utf8');
    expect(html).toContain('<h1>synthetic</h1>');
    expect(html).toContain('#0 kill app-2');
  });
});

describe('harness report and gate on a corrupted run directory', () => {
  it('exit 2 naming the file and its first bad line when load.ndjson is random bytes, never PASSED', async () => {
    const dir = rawRunDir();
    const load = path.join(dir, 'trials', 'stateless', 'load.ndjson');
    // Deterministic "random" bytes (a linear congruential generator), newlines included.
    let seed = 12345;
    const garbage = Buffer.alloc(100_000, 0).map(() => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed % 256;
    });
    writeFileSync(load, garbage);
    for (const command of ['report', 'gate']) {
      const result = await runCli([command, dir]);
      expect(result.code, command).toBe(2);
      expect(result.stderr).toMatch(/error \[E_ANALYSIS_INPUT\]: .*stateless\/load\.ndjson: corrupted: \d+ of \d+ line\(s\) cannot be read; the first is line 1: not JSON/);
      expect(result.stdout).not.toMatch(/PASSED/);
      noStack(result.stderr);
    }
  });

  it('exit 2 when events.ndjson is garbage, and a warning in results.json for one bad line among good ones', async () => {
    const dir = rawRunDir();
    const events = path.join(dir, 'trials', 'stateful', 'events.ndjson');
    const good = readFileSync(events, 'utf8');
    writeFileSync(events, '\u0000\u0001garbage\n{"type":"fault"}\n');
    const corrupted = await runCli(['report', dir]);
    expect(corrupted.code).toBe(2);
    expect(corrupted.stderr).toMatch(/events\.ndjson: corrupted: 2 of 2 line\(s\) cannot be read; the first is line 1: not JSON/);

    const load = path.join(dir, 'trials', 'stateless', 'load.ndjson');
    writeFileSync(events, good);
    writeFileSync(load, `${readFileSync(load, 'utf8')}{"metric":"http_req_duration","type":"Point","data":{"time":"2026-11-28T12:00:01Z","value":-5,"tags":{}}}\n`);
    const damaged = await runCli(['report', dir]);
    expect(damaged.code, damaged.stderr).toBe(0);
    const results = JSON.parse(readFileSync(path.join(dir, 'results.json'), 'utf8')) as { trials: Array<{ name: string; warnings: string[] }> };
    expect(results.trials[1]!.warnings).toContainEqual(expect.stringMatching(/^load\.ndjson: 1 of \d+ line\(s\) cannot be read and were skipped \(first: line \d+: http_req_duration: value -5 is not possible/));
    expect(readFileSync(path.join(dir, 'summary.md'), 'utf8')).toContain('value -5 is not possible');
  });
});

describe('harness gate on a run that did not measure what it claims', () => {
  it('exits 2 whatever the thresholds say, and names the trial', async () => {
    const failed = fixtureResults();
    failed.unmeasured.push({ name: 'stateless', architecture: 'stateless', status: 'skipped', reason: 'not run' });
    failed.trials = failed.trials.slice(0, 1);
    failed.trials[0]!.status = 'failed';
    failed.trials[0]!.failure = 'the load exited with 137 (the load process was killed (SIGKILL))';
    const dir = tracked(fixtureRunDir({ results: failed }));
    const result = await runCli(['gate', dir, '--max-error-rate', 'stateful=1']);
    expect(result.code, result.stderr).toBe(2);
    expect(result.stdout).toMatch(/^NOT MEASURED: 2 trial\(s\) did not measure what they claim/);
    expect(result.stdout).toContain('stateful: failed: the load exited with 137');
    expect(result.stdout).toContain('stateless: skipped: not run');
    expect(result.stdout).not.toMatch(/PASSED/);
    expect(readFileSync(path.join(dir, 'junit.xml'), 'utf8')).toMatch(/<error message="stateful failed: the load exited with 137/);
  });
});

describe('harness compare', () => {
  it('exits 0 when nothing regressed', async () => {
    const a = tracked(fixtureRunDir());
    const result = await runCli(['compare', a, a]);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout.split('\n')[1]).toMatch(/^0 regressed, 0 improved, \d+ unchanged/);
  });

  it('exits 1 on a regression beyond the tolerance, 0 with --no-fail-on-regression, and prints Markdown or JSON', async () => {
    const worse = fixtureResults();
    const stateless = worse.trials[1];
    if (stateless === undefined) throw new Error('fixture changed');
    stateless.totals.errorRate = 0.05;
    worse.comparison = compareTrials(worse.trials);
    const a = tracked(fixtureRunDir());
    const b = tracked(fixtureRunDir({ results: worse }));

    const text = await runCli(['compare', a, b, '--tolerance', '0.2']);
    expect(text.code, text.stderr).toBe(1);
    expect(text.stdout).toMatch(/stateless\s+trial\s+Request error rate \(whole trial\)\s+0\.0267 %\s+5 %.*REGRESSED/);

    const markdown = await runCli(['compare', a, b, '--markdown', '--no-fail-on-regression']);
    expect(markdown.code, markdown.stderr).toBe(0);
    expect(markdown.stdout).toMatch(/^## Run comparison: /);

    const json = await runCli(['compare', a, b, '--json']);
    expect(json.code).toBe(1);
    expect(JSON.parse(json.stdout)).toMatchObject({ counts: { regressed: 1 }, tolerance: 0.1 });
  });

  it('exits 2, after printing, when either run has a trial that did not measure what it claims', async () => {
    const failed = fixtureResults();
    const stateful = failed.trials[0];
    if (stateful === undefined) throw new Error('fixture changed');
    stateful.status = 'failed';
    stateful.failure = 'the load exited with 107 (the script threw an exception)';
    const a = tracked(fixtureRunDir());
    const b = tracked(fixtureRunDir({ results: failed }));
    const result = await runCli(['compare', a, b]);
    expect(result.code).toBe(2);
    expect(result.stdout).toMatch(/regressed/);
    expect(result.stderr).toContain('cannot compare: 1 trial(s) did not measure what they claim');
    expect(result.stderr).toContain(`${path.basename(b)}: stateful failed: the load exited with 107`);
    noStack(result.stderr);
  });

  it.each(['-1', '', 'abc', '1e999'])('exits 2 on a bad tolerance %j, quoting it as typed', async (tolerance) => {
    const a = tracked(fixtureRunDir());
    const result = await runCli(['compare', a, a, '--tolerance', tolerance]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(`--tolerance: ${JSON.stringify(tolerance)} is not allowed; expected a number from 0 to 10 or a percentage`);
    noStack(result.stderr);
  });

  it('takes a tolerance as a percentage', async () => {
    const a = tracked(fixtureRunDir());
    const result = await runCli(['compare', a, a, '--tolerance', '20%', '--json']);
    expect(result.code, result.stderr).toBe(0);
    expect(JSON.parse(result.stdout)).toMatchObject({ tolerance: 0.2 });
  });
});
