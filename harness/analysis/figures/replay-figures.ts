import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import type { FaultEvent } from '../../faults/fault-event.ts';
import type { ReplayFigures } from '../results-schema.ts';

/** The fields of the event-sourced app's `replay_done` log line that the figures use. */
interface ReplayDone {
  time: number;
  replica: string;
  events: number;
  fromSnapshot: boolean;
  snapshotEvents: number;
  durationMs: number;
}

/**
 * Each replay an event-sourced replica made before it was ready (its `replay_done` log line), with
 * the events it replayed since the snapshot it loaded, how long the replay took, and — when a fault
 * (restart, scale-out) started that replica — the time from the request to ready.
 */
export async function replayFigures(containersDir: string, t0: number, events: readonly FaultEvent[]): Promise<ReplayFigures[]> {
  const replays = await readReplays(containersDir);
  const operations = events
    .filter((e) => !e.revert && e.outcome === 'ok' && (e.action === 'restart' || e.action === 'scale-out'))
    .flatMap((e) => e.operations.map((op) => ({ action: e.action as 'restart' | 'scale-out', op })));
  return replays
    .sort((a, b) => a.time - b.time)
    .map((replay) => {
      const cause = operations.find(({ op }) => op.target === replay.replica && op.requestedAt <= replay.time && (op.phases.ready ?? Infinity) >= replay.time);
      const ready = cause?.op.phases.ready;
      return {
        replica: replay.replica,
        atMs: replay.time - t0,
        cause: cause?.action ?? 'start',
        eventsReplayed: replay.events,
        fromSnapshot: replay.fromSnapshot,
        snapshotEvents: replay.snapshotEvents,
        replayMs: replay.durationMs,
        eventsPerSecond: replay.durationMs > 0 ? (replay.events * 1000) / replay.durationMs : null,
        timeToReadyMs: cause && ready !== undefined ? ready - cause.op.requestedAt : null,
      };
    });
}

async function readReplays(containersDir: string): Promise<ReplayDone[]> {
  let files: string[];
  try {
    files = (await readdir(containersDir)).filter((f) => f.endsWith('.log'));
  } catch {
    return [];
  }
  const replays: ReplayDone[] = [];
  for (const file of files) {
    const text = await readFile(path.join(containersDir, file), 'utf8');
    for (const line of text.split('\n')) {
      if (!line.includes('"event":"replay_done"')) continue;
      const space = line.indexOf(' ');
      try {
        const record = JSON.parse(line.slice(space + 1)) as Record<string, unknown>;
        replays.push({
          time: Date.parse(line.slice(0, space)),
          replica: String(record.replica),
          events: Number(record.events),
          fromSnapshot: record.fromSnapshot === true,
          snapshotEvents: Number(record.snapshotEvents ?? 0),
          durationMs: Number(record.durationMs),
        });
      } catch {
        // A line that is not the app's JSON is not a replay record.
      }
    }
  }
  return replays;
}
