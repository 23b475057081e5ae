import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { DockerRuntime } from '../docker/docker-runtime.ts';
import { leftovers } from '../testing/docker-leftovers.ts';
import { runShippedScenario } from '../testing/shipped-scenario.ts';
import type { TrialRecord } from '../core/run-files/index.ts';

const runtime = new DockerRuntime();
const SEED_EVENTS = 200_000;
const TRIALS = ['snapshot-every-1k', 'snapshot-every-100k', 'nightly-snapshot'];

const median = (values: readonly number[]): number => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? Number.NaN;
};

describe('event-sourced recovery against the snapshot interval', () => {
  it('restarted replicas replay what came after the last snapshot: the longer the interval, the longer to ready', async () => {
    // The shipped recovery scenario, shortened for CI: a smaller history, a shorter load, two restarts.
    const { runDir, results } = await runShippedScenario('recovery.yaml', (text) =>
      text
        .replace('seedEvents: 300000', `seedEvents: ${SEED_EVENTS}`)
        .replace('duration: 40s', 'duration: 16s')
        .replace(/faults:\n(.*\n)*/, 'faults:\n  - { at: 35%, action: restart, target: 0 }\n  - { at: 70%, action: restart, target: 1 }\n'),
    );
    expect(results.trials.map((t) => [t.name, t.architecture])).toEqual(TRIALS.map((name) => [name, 'event-sourced']));

    const restarts = Object.fromEntries(results.trials.map((t) => [t.name, t.replays.filter((r) => r.cause === 'restart')]));
    for (const name of TRIALS) {
      const record = JSON.parse(await readFile(path.join(runDir, 'trials', name, 'trial.json'), 'utf8')) as TrialRecord;
      // The opening of the seed account plus its deposits.
      expect(record.seeded?.events, name).toBe(SEED_EVENTS + 1);
      // Every replica replayed the whole seeded history when the cluster started.
      const starts = results.trials.find((t) => t.name === name)!.replays.filter((r) => r.cause === 'start');
      expect(starts.length, name).toBe(2);
      for (const start of starts) expect(start.eventsReplayed, name).toBeGreaterThan(SEED_EVENTS);
      expect(restarts[name]!.length, `${name}: ${JSON.stringify(restarts[name])}`).toBe(2);
      for (const replay of restarts[name]!) expect(replay.timeToReadyMs, name).not.toBeNull();
      const bank = results.trials.find((t) => t.name === name)!.bank;
      expect(bank?.conservation, `${name}: ${JSON.stringify(bank)}`).toBe('holds');
    }

    const events = (name: string) => restarts[name]!.map((r) => r.eventsReplayed);
    const replayMs = (name: string) => restarts[name]!.map((r) => r.replayMs);
    const readyMs = (name: string) => restarts[name]!.map((r) => r.timeToReadyMs ?? Number.NaN);
    // Snapshots every 1,000 events: a restart replays less than an interval plus what arrived meanwhile.
    for (const count of events('snapshot-every-1k')) expect(count).toBeLessThan(3000);
    // No snapshot during the trial: the whole history and everything since.
    for (const count of events('nightly-snapshot')) expect(count).toBeGreaterThan(SEED_EVENTS);
    expect(median(events('snapshot-every-1k'))).toBeLessThan(median(events('snapshot-every-100k')));
    expect(median(events('snapshot-every-100k'))).toBeLessThan(median(events('nightly-snapshot')));
    // The cost grows with it: replay time and time to ready.
    expect(Math.max(...replayMs('snapshot-every-1k'))).toBeLessThan(Math.min(...replayMs('nightly-snapshot')));
    expect(Math.max(...readyMs('snapshot-every-1k'))).toBeLessThan(Math.min(...readyMs('nightly-snapshot')));

    const report = await readFile(path.join(runDir, 'report.html'), 'utf8');
    expect(report).toContain('Replays before ready');
    for (const name of TRIALS) expect(report).toContain(name);
    expect(await leftovers(runtime)).toEqual([]);
  });
});
