import { describe, expect, it } from 'vitest';
import { renderMarkdown } from './markdown.ts';
import { cli, fixtureInput, fixtureResults } from './testing/fixtures.ts';

describe('summary.md', () => {
  const md = renderMarkdown(
    fixtureInput([cli('stateless', 'error_rate', 0.01), cli('stateful', 'sessions_lost', 0), cli('stateful', 'detection_ms', 3000)]),
  );

  it('leads with the verdict, and lists failed thresholds first', () => {
    expect(md.split('\n')[0]).toBe('## ❌ default comparison: 1 of 3 thresholds failed');
    const rows = md.split('\n').filter((line) => /^\| (❌|⚠️|✅)/.test(line));
    expect(rows.map((row) => row.split(' | ').slice(0, 3).join(' | '))).toEqual([
      '| ❌ fail | stateful | sessions\\_lost (trial) ≤ 0',
      '| ✅ | stateful | detection\\_ms (trial) ≤ 3,000 ms',
      '| ✅ | stateless | error\\_rate (trial) ≤ 1 %',
    ]);
  });

  it('has the headline table per architecture with the better value marked', () => {
    expect(md).toContain('| Figure | stateful | stateless |');
    expect(md).toContain('| Request error rate (whole trial) | 0.0521 % | **0.0267 %** ✓ |');
    expect(md).toContain('| p95 latency (whole trial) | **7.65 ms** ✓ | 10.6 ms |');
    expect(md).toContain('| Recovery time (worst fault) | **1,400 ms** ✓ | 1,500 ms |');
    expect(md).toContain('| Detection time (worst fault) | 289 ms | **170 ms** ✓ |');
    // The headline session loss rate counts the sessions open at the fault; the pinned rate is next to it.
    const lines = md.split('\n');
    const open = lines.indexOf('| Session loss rate: lost / open at the fault (worst fault) | 31.6 % | **0 %** ✓ |');
    expect(open).toBeGreaterThan(0);
    expect(lines[open + 1]).toBe('| Session loss rate: lost / pinned to the target (worst fault) | 100 % | **0 %** ✓ |');
    expect(md).toContain('| Slow requests in fault windows (sum over faults) | **8** ✓ | 26 |');
  });

  it('has one line per fault and per added replica, and no link', () => {
    const faults = md.split('\n').filter((line) => line.startsWith('- ') && line.includes('**fault #'));
    expect(faults).toHaveLength(4);
    expect(faults[0]).toBe(
      '- stateful · **fault #0 kill app-2** at 19.8 s · window errors 0.317 % (+6 excess) · 3 slow requests (over 110 ms) · detected 289 ms by DNS: the address left Docker’s DNS · recovered 1,200 ms (errors 1,100 ms, p99 1,200 ms) · sessions lost 6 of 19 open at the fault = 31.6 % · 6 pinned to app-2 (expected to lose), 6 lost = 100 %',
    );
    // Where sessions do not live in the replica, the same count is not an expectation.
    expect(faults[2]).toContain('· sessions lost 0 of 19 open at the fault = 0 % · 7 last served by app-1, 0 lost = 0 %');
    expect(faults[2]).not.toContain('expected');
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
    expect(none.split('\n')[0]).toBe('## ℹ️ default comparison: no thresholds set');
    expect(none).toContain('No thresholds: set them in the scenario');
  });
});
