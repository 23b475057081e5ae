import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Results } from '../analysis/index.ts';
import { DockerRuntime } from '../docker/docker-runtime.ts';
import { runCli } from '../testing/cli.ts';
import { leftovers } from '../testing/docker-leftovers.ts';
import { testImages } from '../testing/images.ts';
import type { RunManifest, TrialRecord } from '../core/run-files/index.ts';

/**
 * A run whose load did not measure what it claims never passes: exit 2, a message naming the trial
 * and the engine's own error, a run directory marked failed with reports that say so, and nothing
 * left running.
 */
const runtime = new DockerRuntime();
const noStack = (stderr: string): void => expect(stderr).not.toMatch(/\n\s+at /);
const json = async <T>(file: string): Promise<T> => JSON.parse(await readFile(file, 'utf8')) as T;

describe('harness run, when the load does not run', () => {
  it('K6_BIN=/nonexistent with --engine k6: exit 2, the run directory marked failed, every trial not run', async () => {
    const reports = await mkdtemp(path.join(tmpdir(), 'harness-no-k6-'));
    const before = await leftovers(runtime);
    const result = await runCli(['run', '--engine', 'k6', '--reports-dir', reports], { K6_BIN: '/nonexistent' });
    expect(result.code, result.stderr).toBe(2);
    expect(result.stderr).toMatch(/error \[E_K6_BIN\]: K6_BIN=\/nonexistent is not an executable file\n {2}hint: /);
    expect(result.stderr).not.toMatch(/\bcompleted\b/);
    noStack(result.stderr);

    const dir = result.stdout.trim().split('\n').at(-1) ?? '';
    expect(dir.startsWith(reports), result.stdout).toBe(true);
    const manifest = await json<RunManifest>(path.join(dir, 'manifest.json'));
    expect(manifest.status).toBe('failed');
    expect(manifest.error).toMatch(/K6_BIN=\/nonexistent/);
    expect(manifest.trials.map((trial) => trial.status)).toEqual(['skipped', 'skipped']);
    const results = await json<Results>(path.join(dir, 'results.json'));
    expect(results.trials).toEqual([]);
    expect(results.unmeasured.map((trial) => [trial.name, trial.status])).toEqual([
      ['stateful', 'skipped'],
      ['stateless', 'skipped'],
    ]);
    expect(await readFile(path.join(dir, 'summary.md'), 'utf8')).toMatch(/^## ❌ default comparison: not measured/);
    expect(await readFile(path.join(dir, 'junit.xml'), 'utf8')).toMatch(/<testsuites [^>]*errors="2"/);
    expect(await leftovers(runtime)).toEqual(before);
  });

  it('a script that throws at init: the trial fails with the engine’s error, the next is skipped, the gate fails', async () => {
    await testImages();
    const work = await mkdtemp(path.join(tmpdir(), 'harness-init-throws-'));
    await writeFile(path.join(work, 'throws.js'), "throw new Error('init boom: CONFIG missing');\nexport default function () {}\n");
    const scenario = path.join(work, 'throws.yaml');
    await writeFile(
      scenario,
      ['name: init throws', 'architectures: [stateful, stateless]', 'replicas: 1', 'load: { script: throws.js, vus: 1, duration: 5s }', ''].join('\n'),
    );
    const reports = path.join(work, 'reports');
    const result = await runCli(['run', scenario, '--engine', 'builtin', '--reports-dir', reports]);
    expect(result.code, result.stderr).toBe(2);
    expect(result.stderr).toContain('[stateful] failed (load exit 107)');
    expect(result.stderr).toMatch(
      /error \[E_TRIAL_FAILED\]: trial stateful failed: the load exited with 107 \(the script threw an exception\): the script's init code failed: Error: init boom: CONFIG missing\n {2}hint: fix the script/,
    );
    expect(result.stderr).not.toMatch(/\bcompleted\b/);
    expect(result.stderr).toMatch(/NOT MEASURED: 2 trial\(s\)/);
    noStack(result.stderr);

    const dir = result.stdout.trim().split('\n').at(-1) ?? '';
    const manifest = await json<RunManifest>(path.join(dir, 'manifest.json'));
    expect(manifest.status).toBe('failed');
    expect(manifest.trials.map((trial) => [trial.name, trial.status])).toEqual([
      ['stateful', 'failed'],
      ['stateless', 'skipped'],
    ]);
    const trial = await json<TrialRecord>(path.join(dir, 'trials', 'stateful', 'trial.json'));
    expect(trial).toMatchObject({ status: 'failed', loadExitCode: 107, t0: null });
    expect(trial.error).toContain('init boom: CONFIG missing');

    const gate = await runCli(['gate', dir]);
    expect(gate.code, gate.stderr).toBe(2);
    expect(gate.stdout).toMatch(/^NOT MEASURED/);
    expect(await leftovers(runtime)).toEqual([]);
  });
});
