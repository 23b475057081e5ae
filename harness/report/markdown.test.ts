import { describe, expect, it } from 'vitest';
import { renderMarkdown } from './markdown.ts';
import { cli, fixtureInput, fixtureResults } from './testing/fixtures.ts';

describe('summary.md', () => {
  const md = renderMarkdown(
    fixtureInput([cli('stateless', 'error_rate', 0.01), cli('stateful', 'sessions_lost', 0), cli('stateful', 'detection_ms', 3000)]),
  );

  it('leads with the verdict, and lists failed thresholds first', () => {
    expect(md.split('\n')[0]).toBe('## ❌ quick: 2 of 3 thresholds failed');
    const rows = md.split('\n').filter((line) => /^\| (❌|⚠️|✅)/.test(line));
    expect(rows.map((row) => row.split(' | ').slice(0, 3).join(' | '))).toEqual([
      '| ❌ fail | stateful | sessions\\_lost (trial) ≤ 0',
      '| ⚠️ fail | stateful | detection\\_ms (trial) ≤ 3,000 ms',
      '| ✅ | stateless | error\\_rate (trial) ≤ 1 %',
    ]);
  });

  it('has the headline table per architecture with the better value marked', () => {
    expect(md).toContain('| Figure | stateful | stateless |');
    expect(md).toContain('| Request error rate (whole trial) | 0.636 % | **0.104 %** ✓ |');
    expect(md).toContain('| p95 latency (whole trial) | **127 ms** ✓ | 156 ms |');
    expect(md).toContain('| Recovery time (worst fault) | 2,046 ms | **1,042 ms** ✓ |');
    // Neither was detected: nothing is marked better.
    expect(md).toContain('| Detection time (worst fault) | not detected | not detected |');
  });

  it('has one line per fault and per added replica, and no link', () => {
    const faults = md.split('\n').filter((line) => line.startsWith('- ') && line.includes('**fault #'));
    expect(faults).toHaveLength(4);
    expect(faults[0]).toBe(
      '- stateful · **fault #0 kill app-2** at 4.95 s · window errors 1.07 % (+7 excess) · detected never · recovered 2,046 ms · sessions lost 4 (expected 4) of 39 active = 10.3 %',
    );
    expect(md.split('\n').filter((line) => line.startsWith('- ') && line.includes('first request'))).toHaveLength(4);
    expect(md).not.toMatch(/\]\(|https?:\/\//);
  });

  it('lists each replay a restart caused, with its events and time to ready, and leaves out those at start', () => {
    const results = fixtureResults();
    const trial = results.trials[1]!;
    trial.name = 'nightly-snapshot';
    const replay = { replica: 'app-1', cause: 'start' as const, atMs: -2000, eventsReplayed: 300_001, fromSnapshot: false, snapshotEvents: 0, replayMs: 3400, eventsPerSecond: 88_000, timeToReadyMs: null };
    trial.replays = [replay, { ...replay, cause: 'restart', atMs: 14_000, eventsReplayed: 303_560, replayMs: 3273.8, timeToReadyMs: 4056 }];
    const lines = renderMarkdown(fixtureInput([], results)).split('\n');
    expect(lines.filter((line) => line.includes('events since'))).toEqual([
      '- nightly-snapshot · **app-1** restart (ready at 14 s) · 303,560 events since the start of the log (no snapshot) · replay 3,274 ms · **time to ready 4,056 ms**',
    ]);
  });

  it('says how to set thresholds when there are none', () => {
    const none = renderMarkdown(fixtureInput());
    expect(none.split('\n')[0]).toBe('## ℹ️ quick: no thresholds set');
    expect(none).toContain('No thresholds: set them in the scenario');
  });
});
