import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { FaultEvent } from '../../faults/fault-event.ts';
import { replayFigures } from './replay-figures.ts';

const T0 = Date.parse('2026-11-28T10:00:00.000Z');
const at = (ms: number): string => new Date(T0 + ms).toISOString().replace('Z', '000000Z');
const replayLine = (ms: number, replica: string, events: number, durationMs: number, fromSnapshot = true): string =>
  `${at(ms)} ${JSON.stringify({ time: new Date(T0 + ms).toISOString(), level: 'info', event: 'replay_done', replica, events, fromSnapshot, snapshotEvents: 500, durationMs })}`;

function restart(target: string, requestedMs: number, readyMs: number): FaultEvent {
  return {
    type: 'fault',
    index: 0,
    action: 'restart',
    selector: '0',
    targets: [target],
    scheduledOffsetMs: requestedMs,
    scheduledAt: T0 + requestedMs,
    startedAt: T0 + requestedMs,
    endedAt: T0 + readyMs,
    startDelayMs: 0,
    outcome: 'ok',
    operations: [{ target, containerId: 'c', requestedAt: T0 + requestedMs, completedAt: T0 + readyMs, phases: { started: T0 + requestedMs + 400, ready: T0 + readyMs } }],
  };
}

describe('replayFigures', () => {
  it('reads each replay from the replicas logs and ties a restart to its time to ready', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'replays-'));
    await writeFile(path.join(dir, 'app-1.log'), [replayLine(-2000, 'app-1', 0, 3, false), replayLine(20_900, 'app-1', 12_000, 80), 'not json', ''].join('\n'));
    await writeFile(path.join(dir, 'app-2.log'), `${replayLine(-1900, 'app-2', 0, 4, false)}\n`);
    await writeFile(path.join(dir, 'lb.log'), `${at(10)} Server app/app1 is UP\n`);
    const figures = await replayFigures(dir, T0, [restart('app-1', 20_000, 21_000)]);
    expect(figures).toEqual([
      { replica: 'app-1', atMs: -2000, cause: 'start', eventsReplayed: 0, fromSnapshot: false, snapshotEvents: 500, replayMs: 3, eventsPerSecond: 0, timeToReadyMs: null },
      { replica: 'app-2', atMs: -1900, cause: 'start', eventsReplayed: 0, fromSnapshot: false, snapshotEvents: 500, replayMs: 4, eventsPerSecond: 0, timeToReadyMs: null },
      { replica: 'app-1', atMs: 20_900, cause: 'restart', eventsReplayed: 12_000, fromSnapshot: true, snapshotEvents: 500, replayMs: 80, eventsPerSecond: 150_000, timeToReadyMs: 1000 },
    ]);
  });

  it('is empty when there are no container logs (other architectures, or logs not saved)', async () => {
    expect(await replayFigures(path.join(tmpdir(), 'no-such-dir-for-replays'), T0, [])).toEqual([]);
  });
});
