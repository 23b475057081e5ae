/**
 * The event-sourced placement against a real redis-server (spawned on 127.0.0.1, one per test where
 * the log's length matters): the bank contract; 50 concurrent withdrawals through two replicas that
 * never overdraw; optimistic-concurrency conflicts retried; reads that see other replicas' writes;
 * replay at start, from nothing and from a snapshot, measured by the replay_done line; snapshots by
 * count, by time and by one replica at a time; readiness closed until the replay is done; and a log
 * lost by Redis replayed instead of served as ghosts.
 */
import { Redis } from 'ioredis';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { AppConfig } from '../../config.ts';
import { createLogger, type LogRecord } from '../../log.ts';
import type { AppDeps } from '../../server.ts';
import {
  bankClient,
  bankContractTests,
  concurrentWithdrawals,
  expectConsistent,
  uniqueId,
  type AccountBody,
  type HistoryBody,
} from '../../test-support/bank-contract.ts';
import { request, waitFor } from '../../test-support/http-client.ts';
import { hasRedisServer, RedisServer, requireRedis } from '../../test-support/redis-server.ts';
import { startTestApp, type TestApp } from '../../test-support/test-app.ts';
import { EPOCH_KEY, SNAPSHOT_KEY, SNAPSHOT_LOCK_KEY, SNAPSHOT_META_KEY, STREAM_KEY, VERSION_PREFIX } from '../keys.ts';
import { seedLedgerAt } from '../seed-ledger.ts';
import { decodeSnapshot } from '../snapshots.ts';
import { EventLogBankStore } from './event-log.ts';

if (!hasRedisServer && requireRedis) throw new Error('APP_TEST_REQUIRE_REDIS=1 but redis-server is not on PATH (apt-get install -y redis-server)');

const line = (t: TestApp, event: string): LogRecord | undefined => t.logs().find((l) => l.event === event);
const lines = (t: TestApp, event: string): LogRecord[] => t.logs().filter((l) => l.event === event);

describe.skipIf(!hasRedisServer)('event-log bank store', () => {
  let shared: RedisServer;
  const apps: TestApp[] = [];
  const servers: RedisServer[] = [];
  const stores: EventLogBankStore[] = [];

  beforeAll(async () => {
    shared = await RedisServer.start();
  });
  afterEach(async () => {
    await Promise.all(apps.splice(0).map((t) => t.stop()));
    await Promise.all(stores.splice(0).map((s) => s.close()));
    await Promise.all(servers.splice(0).map((r) => r.kill()));
  });
  afterAll(async () => {
    await shared?.kill();
  });

  const freshRedis = async (): Promise<RedisServer> => {
    const server = await RedisServer.start();
    servers.push(server);
    return server;
  };
  const start = async (replica: string, redis: RedisServer, overrides: Partial<AppConfig> = {}, deps: AppDeps = {}): Promise<TestApp> => {
    const t = await startTestApp({ store: 'event-log', redisUrl: redis.url, replica, listenWhenReady: true, ...overrides }, deps);
    apps.push(t);
    return t;
  };
  /** A store built by the test (to tune it), for deps.bank. */
  const tunedStore = (redis: RedisServer, replica: string, options: Partial<ConstructorParameters<typeof EventLogBankStore>[0]> = {}): EventLogBankStore => {
    const store = new EventLogBankStore({ url: redis.url, log: createLogger(replica, () => {}), replica, snapshots: { everyEvents: 0, everyMs: 0 }, ...options });
    stores.push(store);
    return store;
  };
  const withRedis = async <T>(server: RedisServer, use: (client: Redis) => Promise<T>): Promise<T> => {
    const client = new Redis(server.url);
    try {
      return await use(client);
    } finally {
      client.disconnect();
    }
  };

  describe('HTTP contract', () => {
    bankContractTests(() => startTestApp({ store: 'event-log', redisUrl: shared.url, replica: 'bank-es-1' }), 'bank-es-1');
  });

  it('keeps sessions in Redis (the log is for the bank only), so the cart routes work too', async () => {
    const t = await start('es-cart', shared);
    const login = await request(t.port, 'POST', '/login', { body: { user: 'ann' } });
    expect(login.status).toBe(200);
    expect((await request(t.port, 'GET', '/healthz')).json).toMatchObject({ store: 'event-log' });
    expect((await request(t.port, 'GET', '/readyz')).json).toMatchObject({ status: 'ready', store: 'event-log' });
  });

  it('appends one stream entry per change, with per-account versions and a history index', async () => {
    const redis = await freshRedis();
    const t = await start('es-layout', redis);
    const bank = bankClient(t.port);
    const [a, b] = [uniqueId(), uniqueId()];
    await bank.open(a);
    await bank.open(b);
    await bank.deposit(a, 100, 'l-1');
    await bank.transfer(a, b, 40, 'l-2');
    await bank.withdraw(a, 1000, 'l-refused');
    await withRedis(redis, async (client) => {
      const entries = await client.xrange(STREAM_KEY, '-', '+');
      expect(entries.map(([, fields]) => JSON.parse(fields[1] ?? '{}') as { type: string })).toMatchObject([
        { type: 'opened', account: a },
        { type: 'opened', account: b },
        { type: 'deposit', account: a, amount: 100, seq: 1, key: 'l-1' },
        { type: 'transfer', from: a, to: b, amount: 40, fromSeq: 2, toSeq: 1, key: 'l-2' },
      ]);
      expect(await client.get(VERSION_PREFIX + a)).toBe('2');
      expect(await client.get(VERSION_PREFIX + b)).toBe('1');
      expect(await client.get(EPOCH_KEY)).toMatch(/^[0-9a-f]{16}$/);
    });
  });

  it('never overdraws under 50 concurrent withdrawals through two replicas, retries included', async () => {
    const a = await start('conc-a', shared);
    const b = await start('conc-b', shared);
    const id = uniqueId();
    await bankClient(a.port).open(id);
    await bankClient(a.port).deposit(id, 1000);
    const answers = await concurrentWithdrawals([a.port, b.port], id, { clients: 50, amount: 30, duplicates: 20 });
    expect(answers.every((r) => r.status === 200 || (r.status === 409 && (r.json as { error: string }).error === 'insufficient_funds')), JSON.stringify(answers.map((r) => [r.status, r.text]))).toBe(true);
    expect(new Set(answers.map((r) => r.headers['x-replica']))).toEqual(new Set(['conc-a', 'conc-b']));
    expect(new Set(answers.filter((r) => r.status === 200).map((r) => (r.json as AccountBody).version)).size).toBe(33);
    for (const t of [a, b]) {
      const account = (await bankClient(t.port).get(id)).json as AccountBody;
      expect(account).toEqual({ id, balance: 10, version: 34 });
      expectConsistent(account, (await bankClient(t.port).history(id)).json as HistoryBody);
    }
  });

  it('retries a write that lost the optimistic-concurrency race, and reads see other replicas\' writes', async () => {
    const redis = await freshRedis();
    const a = await start('occ-a', redis);
    // B does not tail the log: its projection moves only when it reads or writes.
    const lagging = tunedStore(redis, 'occ-b', { tail: false });
    const b = await start('occ-b', redis, {}, { bank: lagging });
    const id = uniqueId();
    await bankClient(a.port).open(id);
    await bankClient(a.port).deposit(id, 100);
    // A read on B reflects A's writes: it catches up with the log before answering.
    expect((await bankClient(b.port).get(id)).json).toEqual({ id, balance: 100, version: 1 });
    await bankClient(a.port).deposit(id, 50);
    // B decides from version 1, the log is at 2: the append is refused, B catches up and decides again.
    const withdraw = await bankClient(b.port).withdraw(id, 120);
    expect(withdraw.json).toEqual({ balance: 30, version: 3 });
    expect(lagging.stats.conflicts).toBe(1);
    // A withdrawal that only the stale balance would refuse is decided on the current one.
    await bankClient(a.port).deposit(id, 200);
    expect((await bankClient(b.port).withdraw(id, 150)).json).toEqual({ balance: 80, version: 5 });
    expect(lagging.stats.conflicts).toBe(2);
    expectConsistent((await bankClient(a.port).get(id)).json as AccountBody, (await bankClient(b.port).history(id)).json as HistoryBody);
  });

  it('gives up after maxAttempts with 503 write_conflict, applying nothing', async () => {
    const redis = await freshRedis();
    const a = await start('give-a', redis);
    const stubborn = tunedStore(redis, 'give-b', { tail: false, maxAttempts: 1 });
    const b = await start('give-b', redis, {}, { bank: stubborn });
    const id = uniqueId();
    await bankClient(a.port).open(id);
    await bankClient(b.port).get(id);
    await bankClient(a.port).deposit(id, 100);
    const res = await bankClient(b.port).deposit(id, 5, 'gives-up');
    expect(res.status).toBe(503);
    expect(res.json).toMatchObject({ error: 'write_conflict' });
    expect(res.headers['retry-after']).toBe('1');
    // Nothing was applied or remembered: the retry goes through (B has caught up meanwhile).
    expect((await bankClient(b.port).deposit(id, 5, 'gives-up')).json).toEqual({ balance: 105, version: 2 });
  });

  it('replays the whole log at start and reports it in replay_done', async () => {
    const redis = await freshRedis();
    const a = await start('replay-a', redis);
    const bank = bankClient(a.port);
    const [x, y] = [uniqueId(), uniqueId()];
    await bank.open(x);
    await bank.open(y);
    for (let i = 0; i < 60; i += 1) await bank.deposit(x, 10);
    for (let i = 0; i < 30; i += 1) await bank.transfer(x, y, 7);
    await bank.withdraw(y, 1000); // refused: remembered, but not an entry
    const entries = 2 + 60 + 30;

    const c = await start('replay-c', redis);
    const done = line(c, 'replay_done');
    expect(done).toMatchObject({ events: entries, fromSnapshot: false, snapshotEvents: 0, snapshotStreamId: null, accounts: 2, reason: 'start' });
    expect(done?.durationMs).toEqual(expect.any(Number));
    expect(done?.eventsPerSecond).toBeGreaterThan(0);
    expect(line(c, 'replay_begin')).toMatchObject({ reason: 'start', attempt: 1 });
    expect((await bankClient(c.port).get(x)).json).toEqual({ id: x, balance: 600 - 210, version: 90 });
    expect((await bankClient(c.port).get(y)).json).toEqual({ id: y, balance: 210, version: 30 });
    expect(c.logs().filter((l) => l.event === 'projection_anomaly')).toEqual([]);
  });

  it('writes a snapshot every SNAPSHOT_EVERY_EVENTS entries, and a later start replays only what follows it', async () => {
    const redis = await freshRedis();
    const a = await start('snap-a', redis, { snapshotEveryEvents: 10 });
    const bank = bankClient(a.port);
    const id = uniqueId();
    await bank.open(id);
    for (let i = 0; i < 24; i += 1) await bank.deposit(id, 5);
    expect(await waitFor(async () => lines(a, 'snapshot_written').some((l) => (l.events as number) >= 20), 5000)).toBe(true);
    const written = lines(a, 'snapshot_written');
    for (const l of written) {
      expect(l).toMatchObject({ trigger: 'events', streamId: expect.stringMatching(/^\d+-\d+$/), durationMs: expect.any(Number), accounts: 1 });
      expect(l.events as number).toBeGreaterThanOrEqual(10);
    }
    const latest = written.at(-1);
    const covered = latest?.events as number;

    // The snapshot names a stream id and holds exactly the state at that id.
    await withRedis(redis, async (client) => {
      const snapshot = decodeSnapshot((await client.get(SNAPSHOT_KEY)) ?? '');
      expect(snapshot).toMatchObject({ streamId: latest?.streamId, events: covered, replica: 'snap-a' });
      expect(snapshot.accounts).toEqual([[id, 5 * (covered - 1), covered - 1]]);
      expect(await client.hget(SNAPSHOT_META_KEY, 'events')).toBe(String(covered));
      expect(await client.xlen(STREAM_KEY)).toBe(25);
    });

    const c = await start('snap-c', redis);
    expect(line(c, 'replay_done')).toMatchObject({ events: 25 - covered, fromSnapshot: true, snapshotEvents: covered, snapshotStreamId: latest?.streamId });
    expect((await bankClient(c.port).get(id)).json).toEqual({ id, balance: 120, version: 24 });
  });

  it('snapshots a replay longer than SNAPSHOT_EVERY_EVENTS right after it, without waiting for a write', async () => {
    const redis = await freshRedis();
    const { events: entries } = await seedLedgerAt(redis.url, { account: uniqueId(), deposits: 2000, amount: 1 });
    const a = await start('snap-after-replay', redis, { snapshotEveryEvents: 500 });
    expect(line(a, 'replay_done')).toMatchObject({ events: entries, fromSnapshot: false });
    expect(await waitFor(async () => lines(a, 'snapshot_written').some((l) => l.events === entries), 5000)).toBe(true);
    const b = await start('after-snapshot', redis);
    expect(line(b, 'replay_done')).toMatchObject({ events: 0, fromSnapshot: true, snapshotEvents: entries });
  });

  it('writes a snapshot every SNAPSHOT_EVERY_MS when anything changed', async () => {
    const redis = await freshRedis();
    const a = await start('snap-t', redis, { snapshotEveryMs: 150 });
    const id = uniqueId();
    await bankClient(a.port).open(id);
    await bankClient(a.port).deposit(id, 5);
    expect(await waitFor(async () => lines(a, 'snapshot_written').length > 0, 3000)).toBe(true);
    expect(line(a, 'snapshot_written')).toMatchObject({ trigger: 'interval', events: 2 });
    // Nothing new: no more snapshots.
    await new Promise((resolve) => setTimeout(resolve, 400));
    expect(lines(a, 'snapshot_written')).toHaveLength(1);
  });

  it('lets one replica at a time write a snapshot, never going backwards', async () => {
    const redis = await freshRedis();
    const a = await start('lock-a', redis, { snapshotEveryEvents: 5 });
    const b = await start('lock-b', redis, { snapshotEveryEvents: 5 });
    const id = uniqueId();
    await bankClient(a.port).open(id);
    await Promise.all(Array.from({ length: 40 }, (_, i) => bankClient(i % 2 === 0 ? a.port : b.port).deposit(id, 1)));
    expect(await waitFor(async () => [...lines(a, 'snapshot_written'), ...lines(b, 'snapshot_written')].some((l) => (l.events as number) >= 36), 5000)).toBe(true);
    // Let a snapshot still being written finish: nothing new arrives, so nothing new starts.
    await new Promise((resolve) => setTimeout(resolve, 500));
    const all = [...lines(a, 'snapshot_written'), ...lines(b, 'snapshot_written')];
    // Written under the lock, one after the other, each covering more than the one before.
    const counts = all.sort((p, q) => (p.time === q.time ? (p.events as number) - (q.events as number) : p.time < q.time ? -1 : 1)).map((l) => l.events as number);
    for (let i = 1; i < counts.length; i += 1) expect(counts[i]).toBeGreaterThan(counts[i - 1] ?? 0);
    await withRedis(redis, async (client) => {
      const snapshot = decodeSnapshot((await client.get(SNAPSHOT_KEY)) ?? '');
      expect(snapshot.events).toBe(counts.at(-1));
      expect(await client.exists(SNAPSHOT_LOCK_KEY)).toBe(0);
    });
  });

  it('stays not ready (503, port closed with LISTEN_WHEN_READY) until the replay is done', async () => {
    const redis = await freshRedis();
    const id = uniqueId('seeded');
    const { events: entries } = await seedLedgerAt(redis.url, { account: id, deposits: 150_000, amount: 3 });

    // LISTEN_WHEN_READY=0: listening at once, /readyz 503 naming the replay, bank routes 503.
    const early = await start('slow-0', redis, { listenWhenReady: false });
    const during = await request(early.port, 'GET', '/readyz');
    expect(during.status).toBe(503);
    expect((during.json as { reason: string }).reason).toMatch(/^bank\(event-log\): replay not done/);
    const blocked = await bankClient(early.port).get(id);
    expect(blocked.status).toBe(503);
    expect(blocked.json).toMatchObject({ error: 'store_unavailable' });
    expect(await waitFor(async () => (await request(early.port, 'GET', '/readyz')).status === 200, 20_000)).toBe(true);
    expect((await bankClient(early.port).get(id)).json).toEqual({ id, balance: 450_000, version: 150_000 });

    // LISTEN_WHEN_READY=1 (default): the port opens only after replay_done, and `ready` follows it at once.
    const closed = await start('slow-1', redis);
    const events = closed.events();
    expect(events.indexOf('replay_begin')).toBeGreaterThan(events.indexOf('waiting_for_ready'));
    expect(events.indexOf('replay_done')).toBeGreaterThan(events.indexOf('replay_begin'));
    expect(events.indexOf('ready')).toBeGreaterThan(events.indexOf('replay_done'));
    expect(events.indexOf('listening')).toBeGreaterThan(events.indexOf('ready'));
    const done = line(closed, 'replay_done');
    expect(done).toMatchObject({ events: entries, fromSnapshot: false });
    const readyAt = Date.parse(String(line(closed, 'ready')?.time));
    expect(readyAt - Date.parse(String(done?.time))).toBeLessThan(100);
    console.log(`replay of ${entries} entries: ${String(done?.durationMs)} ms, ${String(done?.eventsPerSecond)} events/s`);
  });

  it('notices a log lost by Redis (epoch changed), replays it and serves no ghosts', async () => {
    const redis = await freshRedis();
    const t = await start('reset', redis);
    const bank = bankClient(t.port);
    const id = uniqueId();
    await bank.open(id);
    await bank.deposit(id, 100);
    await redis.restart(); // empty: no persistence
    expect(await waitFor(async () => t.events().includes('log_reset'), 10_000)).toBe(true);
    expect(await waitFor(async () => (await bank.get(id)).status === 404, 10_000)).toBe(true);
    expect(lines(t, 'replay_done').at(-1)).toMatchObject({ events: 0, reason: 'log_reset' });
    expect((await bank.open(id)).status).toBe(201);
    expect((await bank.deposit(id, 7)).json).toEqual({ balance: 7, version: 1 });
  });

  it('answers 503 within about a second while Redis is paused, and recovers', async () => {
    const redis = await freshRedis();
    const t = await start('paused', redis);
    const bank = bankClient(t.port);
    const id = uniqueId();
    await bank.open(id);
    redis.pause();
    try {
      const began = Date.now();
      const res = await bank.deposit(id, 1);
      expect(res.status).toBe(503);
      expect(Date.now() - began).toBeLessThan(2500);
    } finally {
      redis.resume();
    }
    expect(await waitFor(async () => (await bank.deposit(id, 1, 'after-pause')).status === 200, 10_000)).toBe(true);
    // The deposit sent while paused may or may not have been applied (its answer was lost): the history says which, consistently.
    const account = (await bank.get(id)).json as AccountBody;
    expectConsistent(account, (await bank.history(id)).json as HistoryBody);
  });
});
