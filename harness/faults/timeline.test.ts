import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { Member, OperationResult } from '../cluster/cluster.ts';
import type { PlannedFault, TargetSelector } from '../plan/fault-plan.ts';
import type { FaultEvent } from './fault-event.ts';
import type { FaultableCluster } from './faultable-cluster.ts';
import { FaultTimeline } from './timeline.ts';

/** The part of a cluster the timeline uses, in memory: operations change member status and are logged. */
function fakeCluster(replicas = 3, withDatastore = false): { cluster: FaultableCluster; calls: string[] } {
  const calls: string[] = [];
  const members: Member[] = Array.from({ length: replicas }, (_, i) => ({
    name: `app-${i + 1}`,
    containerId: `c${i + 1}`,
    role: 'app' as const,
    index: i + 1,
    status: 'running' as const,
  }));
  const datastore: Member | undefined = withDatastore ? { name: 'redis', containerId: 'r', role: 'datastore', status: 'running' } : undefined;
  const find = (name: string): Member => {
    const member = [...members, ...(datastore ? [datastore] : [])].find((m) => m.name === name);
    if (!member) throw new Error(`no ${name}`);
    return member;
  };
  const op = (operation: string, status: Member['status']) => async (name: string): Promise<OperationResult> => {
    calls.push(`${operation} ${name}`);
    find(name).status = status;
    const now = Date.now();
    return { operation, target: name, containers: [find(name).containerId], requestedAt: now, completedAt: now, phases: { done: now } };
  };
  const cluster: FaultableCluster = {
    plan: { architecture: withDatastore ? 'stateless' : 'stateful' },
    datastore,
    replicas: () => [...members],
    kill: op('kill', 'stopped'),
    stop: op('stop', 'stopped'),
    restart: op('restart', 'running'),
    pause: op('pause', 'paused'),
    unpause: op('unpause', 'running'),
    disconnect: op('disconnect', 'disconnected'),
    reconnect: op('reconnect', 'running'),
    addReplicas: async (count: number) => {
      const added: OperationResult[] = [];
      for (let i = 0; i < count; i++) {
        const index = members.length + 1;
        members.push({ name: `app-${index}`, containerId: `c${index}`, role: 'app', index, status: 'running' });
        calls.push(`add app-${index}`);
        const now = Date.now();
        added.push({ operation: 'add-replica', target: `app-${index}`, containers: [`c${index}`], requestedAt: now, completedAt: now, phases: { created: now, started: now, ready: now, inLb: now } });
      }
      return added;
    },
    removeReplicas: async (names: readonly string[]) =>
      names.map((name) => {
        calls.push(`remove ${name}`);
        members.splice(members.indexOf(find(name)), 1);
        const now = Date.now();
        return { operation: 'remove-replica', target: name, containers: [], requestedAt: now, completedAt: now, phases: { removed: now } };
      }),
    lbRequestCounts: async () => ({ 'app-1': 10, 'app-2': 30, 'app-3': 20 }),
  };
  return { cluster, calls };
}

const fault = (index: number, atMs: number, action: PlannedFault['action'], selector: TargetSelector, extra: Partial<PlannedFault> = {}): PlannedFault => ({
  index,
  atMs,
  action,
  selector,
  count: 1,
  ...extra,
});

/**
 * Runs the timeline for `waitMs` of fake time, then finishes it. Each fault fires exactly at its
 * offset, and what it starts (target choice, operations, the revert after `for`) completes before
 * time moves on: the fake cluster answers at once, and the events file is not waited on.
 */
async function run(faults: PlannedFault[], options: { seed?: number; waitMs?: number; datastore?: boolean } = {}) {
  const dir = await mkdtemp(path.join(tmpdir(), 'timeline-'));
  const eventsPath = path.join(dir, 'events.ndjson');
  const { cluster, calls } = fakeCluster(3, options.datastore);
  const timeline = new FaultTimeline({ cluster, faults, seed: options.seed ?? 7, eventsPath, clock: () => Date.now() });
  const t0 = Date.now();
  timeline.start(t0);
  await vi.advanceTimersByTimeAsync(options.waitMs ?? 400);
  const events = await timeline.finish();
  const written = (await readFile(eventsPath, 'utf8')).trim().split('\n').filter(Boolean).map((l) => JSON.parse(l) as FaultEvent);
  return { events, written, calls, t0 };
}

describe('FaultTimeline', () => {
  // Timers and the clock are fake; the file system is real.
  beforeEach(() => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'], now: new Date('2025-01-01T00:00:00Z') });
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('starts each fault at its offset from t0 and records it in events.ndjson', async () => {
    const { events, written, t0 } = await run([fault(0, 50, 'kill', { kind: 'busiest' }), fault(1, 150, 'scale-out', { kind: 'newest' }, { count: 2 })]);
    expect(written).toEqual(events);
    expect(events.map((e) => [e.action, e.targets, e.outcome])).toEqual([
      ['kill', ['app-2'], 'ok'],
      ['scale-out', ['app-4', 'app-5'], 'ok'],
    ]);
    expect(events.map((e) => e.scheduledOffsetMs)).toEqual([50, 150]);
    for (const event of events) {
      expect(event.scheduledAt - t0).toBe(event.scheduledOffsetMs);
      expect(event.startDelayMs).toBe(0);
      expect(event.endedAt).toBeGreaterThanOrEqual(event.startedAt);
    }
    expect(events[1]!.operations.map((o) => Object.keys(o.phases))).toEqual([
      ['created', 'started', 'ready', 'inLb'],
      ['created', 'started', 'ready', 'inLb'],
    ]);
  });

  it('chooses the same random targets for the same seed, and other ones for another seed', async () => {
    const faults = [fault(0, 10, 'kill', { kind: 'random' }), fault(1, 20, 'pause', { kind: 'random' }), fault(2, 30, 'stop', { kind: 'random' })];
    const targets = async (seed: number): Promise<string[][]> => (await run(faults, { seed, waitMs: 100 })).events.filter((e) => !e.revert).map((e) => e.targets);
    const first = await targets(1);
    expect(await targets(1)).toEqual(first);
    // One after the other: the fake clock is shared.
    const others: string[][][] = [];
    for (const seed of [2, 3, 4, 5]) others.push(await targets(seed));
    expect(others.some((o) => JSON.stringify(o) !== JSON.stringify(first))).toBe(true);
  });

  it('reverts a pause and a partition still in force when the trial ends', async () => {
    const { events, calls } = await run([fault(0, 10, 'pause', { kind: 'index', index: 0 }), fault(1, 20, 'partition', { kind: 'index', index: 1 })], { waitMs: 100 });
    expect(calls).toEqual(['pause app-1', 'disconnect app-2', 'unpause app-1', 'reconnect app-2']);
    expect(events.filter((e) => e.revert).map((e) => [e.action, e.targets, e.index])).toEqual([
      ['unpause', ['app-1'], 0],
      ['heal', ['app-2'], 1],
    ]);
  });

  it('reverts after `for` on its own, and not again at the end', async () => {
    const { calls, events, t0 } = await run([fault(0, 10, 'pause', { kind: 'newest' }, { forMs: 50 })], { waitMs: 200 });
    expect(calls).toEqual(['pause app-3', 'unpause app-3']);
    // At 10 + 50 ms, not when the trial ended (200 ms).
    expect(events.map((e) => [e.action, e.revert ?? false, e.startedAt - t0])).toEqual([
      ['pause', false, 10],
      ['unpause', true, 60],
    ]);
  });

  it('an explicit unpause or heal ends the pending revert', async () => {
    const { calls } = await run([fault(0, 10, 'pause', { kind: 'index', index: 2 }), fault(1, 40, 'unpause', { kind: 'index', index: 2 })], { waitMs: 150 });
    expect(calls).toEqual(['pause app-3', 'unpause app-3']);
  });

  it('pairs an unpause written with `busiest` with the pause written with `busiest`, not a fresh choice', async () => {
    const { calls } = await run(
      [fault(0, 10, 'pause', { kind: 'busiest' }), fault(1, 20, 'pause', { kind: 'newest' }), fault(2, 40, 'unpause', { kind: 'busiest' })],
      { waitMs: 120 },
    );
    expect(calls).toEqual(['pause app-2', 'pause app-3', 'unpause app-2', 'unpause app-3']);
  });

  it('records a fault with no possible target as skipped, with the reason, and goes on', async () => {
    const { events } = await run([fault(0, 10, 'kill', { kind: 'datastore' }), fault(1, 20, 'unpause', { kind: 'random' }), fault(2, 30, 'kill', { kind: 'index', index: 0 })], {
      waitMs: 100,
    });
    expect(events.map((e) => [e.action, e.outcome, e.error ?? ''])).toEqual([
      ['kill', 'skipped', 'the stateful architecture has no data tier'],
      ['unpause', 'skipped', 'no pause with target random is in effect'],
      ['kill', 'ok', ''],
    ]);
  });

  it('acts on the data tier when asked', async () => {
    const { calls } = await run([fault(0, 10, 'kill', { kind: 'datastore' }), fault(1, 30, 'restart', { kind: 'datastore' })], { waitMs: 100, datastore: true });
    expect(calls).toEqual(['kill redis', 'restart redis']);
  });

  it('runs every fault even when events.ndjson cannot be written, and says so when it finishes', async () => {
    const { cluster, calls } = fakeCluster();
    const eventsPath = path.join(tmpdir(), 'no-such-directory-for-timeline', 'events.ndjson');
    const timeline = new FaultTimeline({ cluster, faults: [fault(0, 10, 'pause', { kind: 'newest' }, { forMs: 20 })], seed: 7, eventsPath, clock: () => Date.now() });
    timeline.start(Date.now());
    await vi.advanceTimersByTimeAsync(100);
    await expect(timeline.finish()).rejects.toThrow('ENOENT');
    expect(calls).toEqual(['pause app-3', 'unpause app-3']);
  });

  it('drops faults not yet due when the trial ends', async () => {
    const { events } = await run([fault(0, 10, 'kill', { kind: 'newest' }), fault(1, 60_000, 'kill', { kind: 'newest' })], { waitMs: 60 });
    expect(events.map((e) => e.index)).toEqual([0]);
  });
});
