import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Results } from '../analysis/index.ts';
import { DockerRuntime } from '../docker/docker-runtime.ts';
import { REPO_ROOT } from '../core/paths.ts';
import { runCli } from '../testing/cli.ts';
import { leftovers } from '../testing/docker-leftovers.ts';
import { testImages } from '../testing/images.ts';

const runtime = new DockerRuntime();

describe('the bank workload under replica kills, all three architectures', () => {
  it('event-sourced and stateless lose no transaction; stateful losses are counted and shown', async () => {
    await testImages();
    const dir = await mkdtemp(path.join(tmpdir(), 'harness-bank-'));
    const scenario = path.join(dir, 'bank.yaml');
    // The shipped bank scenario, shortened for CI.
    const shipped = await readFile(path.join(REPO_ROOT, 'harness', 'scenarios', 'bank.yaml'), 'utf8');
    await writeFile(
      scenario,
      shipped
        .replace('../../k6-scripts/bank.ts', path.join(REPO_ROOT, 'k6-scripts', 'bank.ts'))
        .replace('duration: 40s', 'duration: 15s'),
    );
    const result = await runCli(['run', scenario, '--engine', 'builtin', '--reports-dir', path.join(dir, 'reports')], {}, 600_000);
    expect(result.code, result.stderr).toBe(0);
    const runDir = result.stdout.trim().split('\n').at(-1)!;
    const results = JSON.parse(await readFile(path.join(runDir, 'results.json'), 'utf8')) as Results;
    const bank = Object.fromEntries(results.trials.map((t) => [t.architecture, t.bank]));

    for (const architecture of ['stateless', 'event-sourced']) {
      const figures = bank[architecture];
      expect(figures, architecture).not.toBeNull();
      expect(figures!.confirmedDepositedCents, architecture).toBeGreaterThan(0);
      expect(figures!.conservation, `${architecture}: ${JSON.stringify(figures)}`).toBe('holds');
      expect(figures!.lostTransactions, architecture).toBe(0);
      expect(figures!.duplicatedTransactions, architecture).toBe(0);
    }
    const stateful = bank.stateful!;
    expect(stateful.lostTransactions + stateful.conservationViolations, JSON.stringify(stateful)).toBeGreaterThan(0);
    const summary = await readFile(path.join(runDir, 'summary.md'), 'utf8');
    expect(summary).toContain('Transactions lost');
    expect(await leftovers(runtime)).toEqual([]);
  });
});
