/**
 * Event-sourced placement of the ledger: balances are never stored as such. Every change is an entry
 * appended to one Redis stream (`bank:events`); each replica answers from an in-memory projection of
 * that log, rebuilt at start from the latest snapshot plus the entries after it, and kept current by
 * tailing the stream (XREAD BLOCK) so other replicas' writes appear.
 *
 * Writes — optimistic concurrency per account: the replica decides from its projection (account at
 * version v), then one Lua script appends the entry only if every account it touches is still at the
 * version the decision read (`bank:version:<id>`), and in the same step records the decision under
 * the idempotency key and appends the accounts' history lines. If another replica got there first the
 * script refuses; the replica catches up with the log and decides again, at most maxAttempts times
 * (then 503 write_conflict, nothing applied). A refusal (insufficient funds) goes through the same
 * version check, so it is never based on a stale balance. Within a replica the commands of one
 * account are serialised (KeyedMutex), so conflicts only happen between replicas.
 *
 * Consistency of reads: before answering GET /accounts/{id}, the replica catches up with the log as
 * it is when the request arrives (one XRANGE, shared by concurrent readers), so a read reflects every
 * write acknowledged before it began, whichever replica made it — read-your-writes and monotonic reads
 * across replicas, at the price of one Redis round trip per read. After an append the writer waits
 * until its projection has applied the entry, so the replica's next decision starts from it. History
 * is read from the per-account index the append script maintains (`bank:history:<id>`), not from the
 * projection, so the projection holds only balances and versions and snapshots stay small; a client
 * that checks balance against history is checking the projection against the log.
 *
 * If Redis loses the log (a restart without persistence), `bank:epoch` changes; the replica notices on
 * its next fetch, logs `log_reset` and replays the (now empty) log instead of serving ghosts.
 */
import { randomBytes } from 'node:crypto';
import type { Redis } from 'ioredis';
import type { Logger } from '../../log.ts';
import { errorMessage } from '../../log.ts';
import { closeRedis, createRedisClient, LuaScript, pingRedis, redisCall, untilReady } from '../../stores/redis-connection.ts';
import { StoreUnavailableError } from '../../stores/session-store.ts';
import { WriteConflictError, type BankStartHooks, type BankStore, type HistoryQuery } from '../bank-store.ts';
import { decodeRecord, encodeHistoryEvent } from '../codec.ts';
import { decide } from '../decide.ts';
import { EPOCH_KEY, HISTORY_PREFIX, IDEMPOTENCY_PREFIX, STREAM_KEY, VERSION_PREFIX } from '../keys.ts';
import { KeyedMutex, LockTimeoutError } from '../keyed-mutex.ts';
import { encodeLogEvent, EVENT_FIELD, logEventFor } from '../log-events.ts';
import {
  accountsOf,
  fingerprint,
  IDEMPOTENCY_TTL_MS,
  type Account,
  type AccountState,
  type Command,
  type CommandResult,
  type HistoryEvent,
  type OpenResult,
} from '../model.ts';
import { Projection, type ProjectionState, type StreamEntry } from '../projection.ts';
import { loadSnapshot, Snapshotter, type Snapshot, type SnapshotPolicy } from '../snapshots.ts';
import { compareStreamIds } from '../stream-id.ts';
import { readHistory } from './redis.ts';

// KEYS: stream, version key. ARGV: `opened` event JSON. Returns the entry id, or 0 when the account exists.
const OPEN_LUA = `
if redis.call('EXISTS', KEYS[2]) == 1 then return 0 end
redis.call('SET', KEYS[2], '0')
return redis.call('XADD', KEYS[1], '*', '${EVENT_FIELD}', ARGV[1])
`;

// KEYS: stream, idempotency record, version 1, history 1 [, version 2, history 2]
// ARGV: expected version 1, expected version 2 ('' if none), record JSON, record TTL ms,
//       event JSON ('' for a refusal: remembered, nothing appended), history line 1, history line 2
// Returns {1, entry id or ''} done, {3, record} the key was used before, {4, n} account n unknown,
// {5, version 1, version 2} another writer moved an account on (conflict: decide again).
const APPEND_LUA = `
local stored = redis.call('GET', KEYS[2])
if stored then return {3, stored} end
local v1 = redis.call('GET', KEYS[3])
if not v1 then return {4, 1} end
local v2 = false
if #KEYS > 4 then
  v2 = redis.call('GET', KEYS[5])
  if not v2 then return {4, 2} end
end
if v1 ~= ARGV[1] or (v2 and v2 ~= ARGV[2]) then return {5, v1, v2 or ''} end
redis.call('SET', KEYS[2], ARGV[3], 'PX', ARGV[4])
if ARGV[5] == '' then return {1, ''} end
local id = redis.call('XADD', KEYS[1], '*', '${EVENT_FIELD}', ARGV[5])
redis.call('SET', KEYS[3], string.format('%d', tonumber(ARGV[1]) + 1))
redis.call('RPUSH', KEYS[4], ARGV[6])
if v2 then
  redis.call('SET', KEYS[5], string.format('%d', tonumber(ARGV[2]) + 1))
  redis.call('RPUSH', KEYS[6], ARGV[7])
end
return {1, id}
`;

const OPEN = new LuaScript(OPEN_LUA);
const APPEND = new LuaScript(APPEND_LUA);

/** Bounds of the loops that read the log: a fetch stops after this many batches and goes on at the next. */
const MAX_BATCHES_PER_FETCH = 10_000;

export interface EventLogBankOptions {
  url: string;
  log: Logger;
  replica: string;
  snapshots: SnapshotPolicy;
  /** Tail the log in the background (default true); tests turn it off to hold a projection back. */
  tail?: boolean;
  /** Entries per XRANGE / XREAD. */
  batchSize?: number;
  /** How long one XREAD waits for new entries. */
  tailBlockMs?: number;
  /** Decisions per write before giving up with 503 write_conflict. */
  maxAttempts?: number;
  /** How long a write waits behind others on the same account before 503 (default 2 command timeouts). */
  lockWaitMs?: number;
  commandTimeoutMs?: number;
  pingTimeoutMs?: number;
  now?: () => Date;
}

export interface EventLogStats {
  appended: number;
  conflicts: number;
  conflictsExhausted: number;
  replays: number;
}

type Phase = 'created' | 'replaying' | 'live' | 'closed';

export class EventLogBankStore implements BankStore {
  readonly kind = 'event-log' as const;
  readonly stats: EventLogStats = { appended: 0, conflicts: 0, conflictsExhausted: 0, replays: 0 };
  private readonly redis: Redis;
  private readonly tailClient: Redis | undefined;
  private readonly log: Logger;
  private readonly batchSize: number;
  private readonly tailBlockMs: number;
  private readonly maxAttempts: number;
  private readonly lockWaitMs: number;
  private readonly pingTimeoutMs: number;
  private readonly now: () => Date;
  private readonly mutex = new KeyedMutex();
  private readonly snapshotter: Snapshotter;
  private projection: Projection;
  private epoch: string | undefined;
  private phase: Phase = 'created';
  private replayed = 0;
  /** Entries covered by the snapshot the last replay started from. */
  private snapshotEvents = 0;
  private replaying: Promise<void> | undefined;
  private tailing: Promise<void> | undefined;
  private fetching: Promise<void> | undefined;
  private queuedFetch: Promise<void> | undefined;
  private hooks: BankStartHooks = {};

  constructor(private readonly options: EventLogBankOptions) {
    this.log = options.log;
    this.batchSize = options.batchSize ?? 1000;
    this.tailBlockMs = options.tailBlockMs ?? 1000;
    this.maxAttempts = options.maxAttempts ?? 16;
    this.lockWaitMs = options.lockWaitMs ?? 2 * (options.commandTimeoutMs ?? 1000);
    this.pingTimeoutMs = options.pingTimeoutMs ?? 250;
    this.now = options.now ?? (() => new Date());
    const timeout = options.commandTimeoutMs === undefined ? {} : { commandTimeoutMs: options.commandTimeoutMs };
    this.redis = createRedisClient(options.url, options.log, { logFields: { client: 'bank' }, ...timeout });
    // XREAD BLOCK holds its connection: the tail gets its own, with a timeout longer than the block.
    this.tailClient =
      options.tail === false
        ? undefined
        : createRedisClient(options.url, options.log, { logFields: { client: 'bank-tail' }, commandTimeoutMs: this.tailBlockMs + (options.commandTimeoutMs ?? 1000) });
    this.projection = this.newProjection();
    this.snapshotter = new Snapshotter({
      redis: this.redis,
      log: options.log,
      replica: options.replica,
      policy: options.snapshots,
      state: () => (this.phase === 'live' ? this.projection.toState() : undefined),
    });
  }

  start(hooks: BankStartHooks = {}): void {
    if (this.phase !== 'created') return;
    this.hooks = hooks;
    this.beginReplay('start');
  }

  async open(id: string): Promise<OpenResult> {
    this.requireLive();
    const event = encodeLogEvent({ type: 'opened', account: id, at: this.now().toISOString() });
    const reply = await OPEN.run(this.redis, [STREAM_KEY, VERSION_PREFIX + id], [event]);
    if (reply === 0) return { status: 'exists' };
    if (typeof reply !== 'string') throw new Error(`open script answered ${JSON.stringify(reply)}`);
    await this.catchUpTo(reply);
    return { status: 'created', account: { id, balance: 0, version: 0 } };
  }

  async get(id: string): Promise<Account | undefined> {
    this.requireLive();
    await this.sync();
    const state = this.projection.get(id);
    return state === undefined ? undefined : { id, ...state };
  }

  history(id: string, query: HistoryQuery = { fromSeq: 1 }): Promise<HistoryEvent[] | undefined> {
    this.requireLive();
    return readHistory(this.redis, VERSION_PREFIX + id, id, query);
  }

  async execute(command: Command): Promise<CommandResult> {
    this.requireLive();
    const ids = accountsOf(command);
    try {
      return await this.mutex.run(ids, () => this.decideAndAppend(command, ids), this.lockWaitMs);
    } catch (error) {
      if (error instanceof LockTimeoutError) throw new StoreUnavailableError(`busy: ${error.message} (the data tier is slow)`, { cause: error });
      throw error;
    }
  }

  async ping(): Promise<void> {
    // Like the Redis ping waiting for a connection being set up: a short replay makes no `not_ready` line.
    if (this.phase === 'replaying') await waitAtMost(this.replaying, this.pingTimeoutMs);
    if (this.isClosed()) throw new Error('closed');
    if (this.phase !== 'live') throw new Error(`replay not done (${this.replayed} events applied so far)`);
    await pingRedis(this.redis, this.pingTimeoutMs);
  }

  async close(): Promise<void> {
    this.phase = 'closed';
    this.snapshotter.stop();
    // Disconnecting rejects the pending XREAD, which ends the tail loop.
    this.tailClient?.disconnect();
    await waitAtMost(this.tailing, 2000);
    await closeRedis(this.redis);
  }

  private async decideAndAppend(command: Command, ids: readonly string[]): Promise<CommandResult> {
    const fp = fingerprint(command);
    let synced = false;
    for (let attempt = 1; attempt <= this.maxAttempts; ) {
      const projection = this.projection;
      const states: AccountState[] = [];
      for (const id of ids) {
        const state = projection.get(id);
        if (state !== undefined) states.push(state);
      }
      if (states.length < ids.length) {
        // Opened on another replica a moment ago, or not at all: look at the log once before saying so.
        if (!synced) {
          await this.sync();
          synced = true;
          continue;
        }
        const unknown = ids.find((id) => projection.get(id) === undefined) ?? ids[0] ?? '';
        return { status: 'account_unknown', account: unknown };
      }

      const at = this.now().toISOString();
      const plan = decide(command, states, at);
      const event = logEventFor(command, plan, at);
      const keys = [STREAM_KEY, IDEMPOTENCY_PREFIX + command.idempotencyKey];
      ids.forEach((id) => keys.push(VERSION_PREFIX + id, HISTORY_PREFIX + id));
      const record = JSON.stringify({ fp, decision: plan.decision });
      const lines = plan.events.map(({ event: line }) => encodeHistoryEvent(line));
      const args = [
        String(states[0]?.version ?? 0),
        states[1] === undefined ? '' : String(states[1].version),
        record,
        IDEMPOTENCY_TTL_MS,
        event === undefined ? '' : encodeLogEvent(event),
        lines[0] ?? '',
        lines[1] ?? '',
      ];
      const reply = await APPEND.run(this.redis, keys, args);
      if (!Array.isArray(reply)) throw new Error(`append script answered ${JSON.stringify(reply)}`);
      const [status, payload] = reply as unknown[];

      if (status === 1 && typeof payload === 'string') {
        if (payload !== '') {
          this.stats.appended += 1;
          await this.catchUpTo(payload);
        }
        return { status: 'decided', decision: plan.decision, replayed: false };
      }
      if (status === 3 && typeof payload === 'string') {
        const first = decodeRecord(payload);
        return first.fingerprint === fp ? { status: 'decided', decision: first.decision, replayed: true } : { status: 'key_reused' };
      }
      if (status === 4) {
        // The projection knows an account the log does not: the log was reset (sync notices and throws 503).
        await this.sync();
        return { status: 'account_unknown', account: (payload === 2 ? ids[1] : ids[0]) ?? '' };
      }
      if (status === 5) {
        this.stats.conflicts += 1;
        attempt += 1;
        await this.sync();
        synced = true;
        // A little jitter, so two replicas that keep colliding on one account fall out of step.
        await sleep(Math.random() * 2 * attempt);
        continue;
      }
      throw new Error(`append script answered ${JSON.stringify(reply)}`);
    }
    this.stats.conflictsExhausted += 1;
    this.log.warn('write_conflict', { accounts: ids, attempts: this.maxAttempts, idempotencyKey: command.idempotencyKey });
    throw new WriteConflictError(`still conflicting after ${this.maxAttempts} attempts on ${ids.join(', ')}`, this.maxAttempts);
  }

  /** A method, so that TypeScript does not narrow the phase across awaits. */
  private isClosed(): boolean {
    return this.phase === 'closed';
  }

  private requireLive(): void {
    if (this.phase === 'live') return;
    throw new StoreUnavailableError(this.phase === 'closed' ? 'the bank store is closed' : `replay in progress (${this.replayed} events applied so far)`);
  }

  private newProjection(from?: ProjectionState): Projection {
    return new Projection(from, (kind, detail) => this.log.error('projection_anomaly', { kind, ...detail }));
  }

  // ---- replay -------------------------------------------------------------------------------

  private beginReplay(reason: 'start' | 'log_reset'): void {
    this.phase = 'replaying';
    this.replayed = 0;
    this.snapshotter.stop();
    this.replaying = this.replayUntilDone(reason);
  }

  /** Retries until the replay succeeds or the store closes (a replica waits for its data tier). */
  private async replayUntilDone(reason: 'start' | 'log_reset'): Promise<void> {
    let lastFailure: string | undefined;
    for (let attempt = 1; this.phase === 'replaying'; attempt += 1) {
      try {
        await this.replayOnce(reason, attempt);
        break;
      } catch (error) {
        if (this.phase !== 'replaying') return;
        // While Redis stays away every attempt fails alike: log each distinct failure once.
        const message = errorMessage(error);
        if (message !== lastFailure) this.log.warn('replay_failed', { reason, attempt, message });
        lastFailure = message;
        await sleep(Math.min(1000, 100 * attempt));
      }
    }
    if (this.phase !== 'replaying') return;
    this.phase = 'live';
    this.stats.replays += 1;
    this.snapshotter.resume(this.snapshotEvents);
    // A long replay (a seeded history, a log without a recent snapshot) is saved at once, so that the
    // next replica to start does not replay it again even if no write comes meanwhile.
    this.snapshotter.noteProgress(this.projection.events);
    this.tailing ??= this.tailLoop();
    this.hooks.onReadinessChange?.();
  }

  private async replayOnce(reason: 'start' | 'log_reset', attempt: number): Promise<void> {
    await untilReady(this.redis, 2000);
    const began = performance.now();
    this.log.info('replay_begin', { reason, attempt });
    const epoch = await this.ensureEpoch();
    let snapshot: Snapshot | undefined;
    try {
      snapshot = await loadSnapshot(this.redis);
    } catch (error) {
      if (error instanceof StoreUnavailableError) throw error;
      // A snapshot this code cannot read (another format, corrupt) only costs time: replay the whole log.
      this.log.error('snapshot_unreadable', { message: errorMessage(error) });
    }
    const snapshotLoadMs = performance.now() - began;
    const projection = this.newProjection(snapshot);
    this.replayed = 0;
    // Ends at the first short batch: the log's end as of that read (the tail takes over from there).
    for (;;) {
      if (this.phase !== 'replaying') return;
      const entries = await this.range(projection.lastId);
      this.replayed += projection.applyEntries(entries);
      if (entries.length < this.batchSize) break;
    }
    if (this.phase !== 'replaying') return;
    this.projection = projection;
    this.epoch = epoch;
    this.snapshotEvents = snapshot?.events ?? 0;
    const durationMs = performance.now() - began;
    this.log.info('replay_done', {
      events: this.replayed,
      fromSnapshot: snapshot !== undefined,
      snapshotEvents: snapshot?.events ?? 0,
      snapshotStreamId: snapshot?.streamId ?? null,
      streamId: projection.lastId,
      accounts: projection.size,
      durationMs: round1(durationMs),
      snapshotLoadMs: round1(snapshotLoadMs),
      eventsPerSecond: Math.round((this.replayed / Math.max(durationMs, 0.001)) * 1000),
      reason,
    });
  }

  /** The log's epoch, created by the first replica that finds none. */
  private async ensureEpoch(): Promise<string> {
    const replies = await redisCall(this.redis, () => this.redis.multi().set(EPOCH_KEY, randomBytes(8).toString('hex'), 'NX').get(EPOCH_KEY).exec());
    const epoch = replies?.[1]?.[1];
    if (typeof epoch !== 'string') throw new Error(`could not read ${EPOCH_KEY}`);
    return epoch;
  }

  private async range(after: string): Promise<StreamEntry[]> {
    const entries = await redisCall(this.redis, () => this.redis.xrange(STREAM_KEY, `(${after}`, '+', 'COUNT', this.batchSize));
    return entries as StreamEntry[];
  }

  // ---- keeping up with the log ----------------------------------------------------------------

  /**
   * Catches up with the log as it is now: resolves after a fetch that began after this call, so
   * every entry appended before the call is applied. Concurrent callers share fetches.
   */
  private sync(): Promise<void> {
    if (this.fetching === undefined) {
      this.fetching = this.fetchAll().finally(() => {
        this.fetching = undefined;
      });
      return this.fetching;
    }
    this.queuedFetch ??= this.fetching
      .catch(() => undefined)
      .then(() => {
        this.queuedFetch = undefined;
        return this.sync();
      });
    return this.queuedFetch;
  }

  /** Waits until the projection has applied entry `id` (an append of this replica). */
  private async catchUpTo(id: string): Promise<void> {
    for (let round = 0; round < 5; round += 1) {
      if (compareStreamIds(this.projection.lastId, id) >= 0) return;
      await this.sync();
    }
    if (compareStreamIds(this.projection.lastId, id) < 0) throw new StoreUnavailableError(`the projection did not reach entry ${id}`);
  }

  private async fetchAll(): Promise<void> {
    for (let batch = 0; batch < MAX_BATCHES_PER_FETCH; batch += 1) {
      if (this.phase !== 'live') throw new StoreUnavailableError('replay in progress');
      const projection = this.projection;
      const replies = await redisCall(this.redis, () =>
        this.redis.multi().get(EPOCH_KEY).xrange(STREAM_KEY, `(${projection.lastId}`, '+', 'COUNT', this.batchSize).exec(),
      );
      const epoch = replies?.[0]?.[1];
      const entries = replies?.[1]?.[1];
      if (!Array.isArray(entries)) throw new Error(`XRANGE answered ${JSON.stringify(replies)}`);
      this.checkEpoch(epoch);
      this.applyFetched(projection, entries as StreamEntry[]);
      if (entries.length < this.batchSize) return;
    }
  }

  private async tailLoop(): Promise<void> {
    const client = this.tailClient;
    if (client === undefined) return;
    let failures = 0;
    while (this.phase !== 'closed') {
      if (this.phase !== 'live') {
        await (this.replaying ?? sleep(100));
        continue;
      }
      const projection = this.projection;
      try {
        // A pipeline, not MULTI: inside MULTI a blocking read would not block.
        const replies = await client
          .pipeline()
          .get(EPOCH_KEY)
          .xread('COUNT', this.batchSize, 'BLOCK', this.tailBlockMs, 'STREAMS', STREAM_KEY, projection.lastId)
          .exec();
        for (const [error] of replies ?? []) if (error) throw error;
        this.checkEpoch(replies?.[0]?.[1]);
        const streams = replies?.[1]?.[1];
        if (Array.isArray(streams)) {
          for (const stream of streams as [string, StreamEntry[]][]) this.applyFetched(projection, stream[1]);
        }
        failures = 0;
      } catch (error) {
        if (this.isClosed()) return;
        failures += 1;
        if (failures === 1 && !(error instanceof StoreUnavailableError)) this.log.warn('tail_failed', { message: errorMessage(error) });
        await sleep(Math.min(1000, 100 * failures));
      }
    }
  }

  private applyFetched(projection: Projection, entries: readonly StreamEntry[]): void {
    // A reset replaced the projection while this fetch was out: its entries belong to the old log.
    if (projection !== this.projection || this.phase !== 'live') return;
    if (projection.applyEntries(entries) > 0) this.snapshotter.noteProgress(projection.events);
  }

  private checkEpoch(seen: unknown): void {
    if (this.phase !== 'live' || seen === this.epoch) return;
    this.log.warn('log_reset', { expected: this.epoch, found: typeof seen === 'string' ? seen : null, events: this.projection.events });
    this.beginReplay('log_reset');
    this.hooks.onReadinessChange?.();
    throw new StoreUnavailableError('the event log was reset; replaying it');
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Waits for the promise (never rejects) at most ms, leaving no timer behind. */
async function waitAtMost(promise: Promise<unknown> | undefined, ms: number): Promise<void> {
  if (promise === undefined) return;
  let timer: NodeJS.Timeout | undefined;
  try {
    await Promise.race([promise.catch(() => undefined), new Promise((resolve) => (timer = setTimeout(resolve, ms)))]);
  } finally {
    clearTimeout(timer);
  }
}

function round1(ms: number): number {
  return Math.round(ms * 10) / 10;
}
