import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { DockerRuntime } from '../docker/docker-runtime.ts';
import { leftovers } from '../testing/docker-leftovers.ts';
import { runShippedScenario } from '../testing/shipped-scenario.ts';

const runtime = new DockerRuntime();

describe('the bank workload under replica kills, all three architectures', () => {
  it('event-sourced and stateless lose no transaction; stateful losses are counted and shown', async () => {
    // The shipped bank scenario, shortened for CI.
    const { runDir, results } = await runShippedScenario('bank.yaml', (text) => text.replace('duration: 40s', 'duration: 15s'));
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
