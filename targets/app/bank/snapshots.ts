/**
 * Snapshots of the event-log store's projection, so that a starting replica replays only the
 * entries after the latest one. A snapshot is the projection's state (every account's balance and
 * version) plus the stream id and entry count it covers, taken synchronously (see Projection.toState),
 * so it is consistent with the id it names.
 *
 * When: every SNAPSHOT_EVERY_EVENTS entries since the latest snapshot, and every SNAPSHOT_EVERY_MS if
 * anything was appended since (0 turns either off; the seed's "update the state at midnight" is a
 * long interval). Every replica watches its own progress; one writes at a time: it takes
 * `bank:snapshot:lock` (SET NX PX), checks the latest snapshot is still older than what it has, and
 * writes with a script that refuses to go backwards or to write without the lock. Losing the race is
 * normal and silent. No snapshot is written at shutdown: the time a restarted replica spends replaying
 * is what the recovery experiments measure.
 */
import { randomBytes } from 'node:crypto';
import type { Redis } from 'ioredis';
import type { Logger } from '../log.ts';
import { errorMessage } from '../log.ts';
import { LuaScript, redisCall } from '../stores/redis-connection.ts';
import { SNAPSHOT_KEY, SNAPSHOT_LOCK_KEY, SNAPSHOT_META_KEY } from './keys.ts';
import type { ProjectionState } from './projection.ts';
import { isStreamId } from './stream-id.ts';

export const SNAPSHOT_FORMAT = 1;

export interface Snapshot extends ProjectionState {
  format: typeof SNAPSHOT_FORMAT;
  takenAt: string;
  replica: string;
}

export interface SnapshotPolicy {
  /** Entries since the latest snapshot that call for a new one; 0 = never. */
  everyEvents: number;
  /** Interval of time-based snapshots (when anything changed); 0 = never. */
  everyMs: number;
}

export type SnapshotTrigger = 'events' | 'interval' | 'manual';

export function encodeSnapshot(snapshot: Snapshot): string {
  return JSON.stringify(snapshot);
}

export function decodeSnapshot(text: string): Snapshot {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new Error('malformed snapshot: not JSON');
  }
  const s = (typeof value === 'object' && value !== null ? value : {}) as Record<string, unknown>;
  if (s.format !== SNAPSHOT_FORMAT) throw new Error(`snapshot format ${JSON.stringify(s.format)} is not ${SNAPSHOT_FORMAT}`);
  if (typeof s.streamId !== 'string' || !isStreamId(s.streamId) || typeof s.events !== 'number' || !Number.isSafeInteger(s.events) || s.events < 0) {
    throw new Error('malformed snapshot: bad streamId or events');
  }
  if (typeof s.takenAt !== 'string' || typeof s.replica !== 'string' || !Array.isArray(s.accounts)) throw new Error('malformed snapshot: bad header');
  const accounts: [string, number, number][] = s.accounts.map((entry: unknown) => {
    if (!Array.isArray(entry) || entry.length !== 3) throw new Error('malformed snapshot: bad account');
    const [id, balance, version] = entry as unknown[];
    if (typeof id !== 'string' || typeof balance !== 'number' || typeof version !== 'number' || !Number.isSafeInteger(balance) || !Number.isSafeInteger(version)) {
      throw new Error('malformed snapshot: bad account');
    }
    return [id, balance, version];
  });
  return { format: SNAPSHOT_FORMAT, streamId: s.streamId, events: s.events, takenAt: s.takenAt, replica: s.replica, accounts };
}

/** The latest snapshot, or undefined when none was written yet. */
export async function loadSnapshot(redis: Redis): Promise<Snapshot | undefined> {
  const text = await redisCall(redis, () => redis.get(SNAPSHOT_KEY));
  return text === null ? undefined : decodeSnapshot(text);
}

// KEYS: snapshot, meta, lock. ARGV: lock token, events, snapshot JSON, streamId, takenAt, replica.
// Returns 1 written, 0 not newer than the latest, -1 the lock is no longer ours.
const WRITE_LUA = `
if redis.call('GET', KEYS[3]) ~= ARGV[1] then return -1 end
local latest = redis.call('HGET', KEYS[2], 'events')
if latest and tonumber(latest) >= tonumber(ARGV[2]) then return 0 end
redis.call('SET', KEYS[1], ARGV[3])
redis.call('HSET', KEYS[2], 'events', ARGV[2], 'streamId', ARGV[4], 'takenAt', ARGV[5], 'replica', ARGV[6], 'bytes', string.len(ARGV[3]))
return 1
`;
// KEYS: lock. ARGV: token. Deletes the lock only if it is still ours.
const RELEASE_LUA = `
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0
`;
const WRITE = new LuaScript(WRITE_LUA);
const RELEASE = new LuaScript(RELEASE_LUA);

export interface SnapshotterOptions {
  redis: Redis;
  log: Logger;
  replica: string;
  policy: SnapshotPolicy;
  /** The projection's state now, or undefined while it cannot be snapshotted (replaying). */
  state: () => ProjectionState | undefined;
  /** The lock's lifetime: a replica that dies while writing blocks others at most this long. */
  lockTtlMs?: number;
  /** After losing the lock, wait this long before trying again. */
  backoffMs?: number;
}

export class Snapshotter {
  /** Entries covered by the latest snapshot this replica knows of. */
  private known = 0;
  private writing: Promise<void> | undefined;
  private timer: NodeJS.Timeout | undefined;
  private notBefore = 0;
  private stopped = false;
  private readonly lockTtlMs: number;
  private readonly backoffMs: number;

  constructor(private readonly options: SnapshotterOptions) {
    this.lockTtlMs = options.lockTtlMs ?? 30_000;
    this.backoffMs = options.backoffMs ?? 1000;
  }

  /** (Re)starts watching from a projection that covers `knownEvents` entries of the latest snapshot. */
  resume(knownEvents: number): void {
    this.known = knownEvents;
    this.stopped = false;
    if (this.timer === undefined && this.options.policy.everyMs > 0) {
      this.timer = setInterval(() => this.trigger('interval'), this.options.policy.everyMs);
      this.timer.unref();
    }
  }

  /** Called after entries were applied; starts a snapshot when enough accumulated. */
  noteProgress(events: number): void {
    const every = this.options.policy.everyEvents;
    if (every > 0 && events - this.known >= every) this.trigger('events');
  }

  /** Writes one now if this replica has anything newer (tests; the timer and noteProgress use it too). */
  writeNow(trigger: SnapshotTrigger = 'manual'): Promise<void> {
    this.writing ??= this.write(trigger)
      .catch((error: unknown) => {
        this.notBefore = Date.now() + this.backoffMs;
        this.options.log.warn('snapshot_failed', { trigger, message: errorMessage(error) });
      })
      .finally(() => {
        this.writing = undefined;
      });
    return this.writing;
  }

  stop(): void {
    this.stopped = true;
    if (this.timer !== undefined) clearInterval(this.timer);
    this.timer = undefined;
  }

  private trigger(trigger: SnapshotTrigger): void {
    if (this.stopped || this.writing !== undefined || Date.now() < this.notBefore) return;
    const state = this.options.state();
    if (state === undefined || state.events <= this.known) return;
    void this.writeNow(trigger);
  }

  private async write(trigger: SnapshotTrigger): Promise<void> {
    const { redis, log, replica, policy } = this.options;
    if (this.options.state() === undefined) return;
    const token = `${replica}:${randomBytes(6).toString('hex')}`;
    const locked = await redisCall(redis, () => redis.set(SNAPSHOT_LOCK_KEY, token, 'PX', this.lockTtlMs, 'NX'));
    if (locked !== 'OK') {
      // Another replica is writing one; look again after a while.
      this.notBefore = Date.now() + this.backoffMs;
      return;
    }
    try {
      const latest = Number((await redisCall(redis, () => redis.hget(SNAPSHOT_META_KEY, 'events'))) ?? 0);
      if (Number.isSafeInteger(latest) && latest > this.known) this.known = latest;
      const began = performance.now();
      // Synchronous from here to the string: the state and the stream id it names cannot drift apart.
      const state = this.options.state();
      if (state === undefined || state.events <= this.known) return;
      if (trigger === 'events' && state.events - this.known < policy.everyEvents) return;
      const snapshot: Snapshot = { format: SNAPSHOT_FORMAT, ...state, takenAt: new Date().toISOString(), replica };
      const text = encodeSnapshot(snapshot);
      const written = await WRITE.run(redis, [SNAPSHOT_KEY, SNAPSHOT_META_KEY, SNAPSHOT_LOCK_KEY], [token, state.events, text, state.streamId, snapshot.takenAt, replica]);
      if (written !== 1) {
        log.info('snapshot_skipped', { trigger, events: state.events, reason: written === 0 ? 'a newer snapshot exists' : 'lock expired while writing' });
        return;
      }
      const previous = this.known;
      this.known = state.events;
      log.info('snapshot_written', {
        events: state.events,
        streamId: state.streamId,
        durationMs: Math.round((performance.now() - began) * 10) / 10,
        sinceLast: state.events - previous,
        accounts: state.accounts.length,
        bytes: Buffer.byteLength(text),
        trigger,
      });
    } finally {
      await RELEASE.run(redis, [SNAPSHOT_LOCK_KEY], [token]).catch(() => undefined);
    }
  }
}
