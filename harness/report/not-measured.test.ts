import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { XMLParser } from 'fast-xml-parser';
import { analyzeRun } from '../analysis/index.ts';
import { writeSyntheticRun, type SyntheticRequest } from '../analysis/testing/synthetic-run.ts';
import { runFiles, trialFiles } from '../core/run-files/index.ts';
import { finishRun } from './finish-run.ts';
import { formatVerdictText } from './verdict-text.ts';

/**
 * A run whose load did not measure what it claims never passes: results.json says which trial and
 * why, the verdict is "not measured" (exit 2) whatever the thresholds say, and every report shows it.
 */
const T0 = Date.UTC(2026, 11, 1, 12, 0, 0);
const work = mkdtempSync(path.join(os.tmpdir(), 'not-measured-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

function requests(count: number): SyntheticRequest[] {
  return Array.from({ length: count }, (_, k) => ({ time: T0 + 5 + k * 10, durationMs: 3, failed: false, replica: 'app-1', session: `s-${k % 5}` }));
}

function manifest(trials: Array<[string, string]>, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    schemaVersion: 1,
    runId: 'r-failed',
    name: 'failing run',
    status: 'failed',
    scenario: { thresholds: { stateless: [{ metric: 'error_rate', max: 0.5, scope: 'trial' }] } },
    trials: trials.map(([name, status]) => ({ name, architecture: name, dir: `trials/${name}`, status })),
    ...extra,
  };
}

function runDir(name: string): string {
  const dir = path.join(work, name);
  mkdirSync(dir, { recursive: true });
  return dir;
}

describe('a run whose first trial failed before its load started', () => {
  const dir = runDir('script-throws');
  writeSyntheticRun(dir, [], manifest([['stateful', 'failed'], ['stateless', 'skipped']]));
  const failed = trialFiles(dir, 'stateful');
  mkdirSync(failed.dir, { recursive: true });
  writeFileSync(
    failed.trial,
    JSON.stringify({ name: 'stateful', architecture: 'stateful', status: 'failed', t0: null, endedAt: T0, startedAt: T0 - 5000, initialReplicas: ['app-1'], error: 'the load exited with 107 (the script threw an exception): Error: boom' }),
  );

  it('lists both trials as unmeasured in results.json, with the reason', async () => {
    const results = await analyzeRun(dir);
    expect(results.trials).toEqual([]);
    expect(results.unmeasured).toEqual([
      { name: 'stateful', architecture: 'stateful', status: 'failed', reason: 'the load exited with 107 (the script threw an exception): Error: boom' },
      { name: 'stateless', architecture: 'stateless', status: 'skipped', reason: 'not run: the run stopped after trial stateful failed' },
    ]);
  });

  it('fails the gate with exit 2 and says so in every report', async () => {
    const outcome = await finishRun(dir);
    expect(outcome.exitCode).toBe(2);
    expect(outcome.verdict.status).toBe('not-measured');
    expect(outcome.verdict.passed).toBe(false);
    expect(outcome.verdict.problems.map((problem) => [problem.trial, problem.status])).toEqual([
      ['stateful', 'failed'],
      ['stateless', 'skipped'],
    ]);
    // The scenario's threshold on stateless cannot be measured: a failure, not a pass.
    expect(outcome.verdict.checks.map((check) => [check.trial, check.status])).toEqual([['stateless', 'missing']]);

    const summary = readFileSync(runFiles(dir).summaryMd, 'utf8');
    expect(summary).toMatch(/^## ❌ failing run: not measured: 2 trial\(s\) did not measure what they claim/);
    expect(summary).toContain('- ❌ **stateful** failed: the load exited with 107 (the script threw an exception): Error: boom');

    const junit = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '' }).parse(readFileSync(runFiles(dir).junitXml, 'utf8')) as {
      testsuites: { errors: string; testsuite: Array<{ name: string; errors: string; testcase: unknown }> };
    };
    expect(junit.testsuites.errors).toBe('2');
    expect(junit.testsuites.testsuite.map((suite) => [suite.name, suite.errors])).toEqual([
      ['stateful', '1'],
      ['stateless', '1'],
    ]);
    const html = readFileSync(runFiles(dir).reportHtml, 'utf8');
    expect(html).toContain('id="not-measured"');
    expect(html).toContain('✘ Not measured: 2 trial(s)');

    const text = formatVerdictText(outcome.verdict, 'r-failed');
    expect(text.split('\n')[0]).toBe('NOT MEASURED: 2 trial(s) did not measure what they claim (run r-failed)');
    expect(text).not.toMatch(/PASSED/);
  });
});

describe('a trial with figures that did not measure what it claims', () => {
  it('keeps its partial figures, marked failed, and fails the gate even when every threshold passes', async () => {
    const dir = runDir('load-crashed');
    writeSyntheticRun(
      dir,
      [
        {
          trial: { name: 'stateless', architecture: 'stateless', t0: T0, endedAt: T0 + 10_000, initialReplicas: ['app-1'], status: 'failed', error: 'the load exited with 137 (the load process was killed (SIGKILL))' },
          requests: requests(200),
        },
      ],
      manifest([['stateless', 'failed']]),
    );
    const outcome = await finishRun(dir);
    expect(outcome.results.trials.map((trial) => [trial.name, trial.status, trial.failure, trial.totals.requests])).toEqual([
      ['stateless', 'failed', 'the load exited with 137 (the load process was killed (SIGKILL))', 200],
    ]);
    expect(outcome.verdict.checks.map((check) => check.status)).toEqual(['pass']);
    expect(outcome.exitCode).toBe(2);
    expect(formatVerdictText(outcome.verdict, 'r')).toMatch(/^NOT MEASURED: 1 trial\(s\)[^\n]*\n {2}stateless: failed: the load exited with 137/);
  });

  it('fails a trial that says it completed but made no request, and one whose harness died while it ran', async () => {
    const dir = runDir('no-requests');
    writeSyntheticRun(
      dir,
      [
        { trial: { name: 'stateful', architecture: 'stateful', t0: T0, endedAt: T0 + 10_000, initialReplicas: ['app-1'], status: 'completed' }, requests: [] },
        { trial: { name: 'stateless', architecture: 'stateless', t0: T0, endedAt: T0 + 10_000, initialReplicas: ['app-1'], status: 'running' }, requests: requests(50) },
      ],
      manifest([['stateful', 'completed'], ['stateless', 'running']]),
    );
    const results = await analyzeRun(dir);
    expect(results.trials.map((trial) => [trial.name, trial.status, trial.failure])).toEqual([
      ['stateful', 'failed', 'load.ndjson has no HTTP request inside the trial'],
      ['stateless', 'failed', 'the trial did not finish: the harness stopped while it ran'],
    ]);
  });

  it('shows logs the harness could not save as a warning on the trial', async () => {
    const dir = runDir('logs-lost');
    writeSyntheticRun(
      dir,
      [{ trial: { name: 'stateful', architecture: 'stateful', t0: T0, endedAt: T0 + 3000, initialReplicas: ['app-1'], logProblems: ['lb.log: container gone'] }, requests: requests(30) }],
      manifest([['stateful', 'completed']]),
    );
    const results = await analyzeRun(dir);
    expect(results.trials[0]!.status).toBe('completed');
    expect(results.trials[0]!.warnings).toContain('logs not saved: lb.log: container gone');
  });

  it('still refuses a trial that says it completed but has no load file', async () => {
    const dir = runDir('missing-load');
    writeSyntheticRun(dir, [{ trial: { name: 'stateful', architecture: 'stateful', t0: T0, endedAt: T0 + 1000, initialReplicas: [] }, requests: requests(3) }], manifest([['stateful', 'completed']]));
    rmSync(trialFiles(dir, 'stateful').loadNdjson);
    await expect(analyzeRun(dir)).rejects.toMatchObject({ code: 'E_ANALYSIS_INPUT', message: expect.stringMatching(/load\.ndjson: missing/) });
  });
});

describe('a run that failed before any trial (e.g. no k6 binary)', () => {
  it('says every trial was not run, and why', async () => {
    const dir = runDir('no-engine');
    writeSyntheticRun(dir, [], manifest([['stateful', 'skipped'], ['stateless', 'skipped']], { error: 'K6_BIN=/nonexistent is not an executable file' }));
    const outcome = await finishRun(dir);
    expect(outcome.exitCode).toBe(2);
    expect(outcome.results.unmeasured.map((trial) => trial.reason)).toEqual([
      'not run: the run failed before it: K6_BIN=/nonexistent is not an executable file',
      'not run: the run failed before it: K6_BIN=/nonexistent is not an executable file',
    ]);
  });
});
