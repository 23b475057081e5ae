/**
 * The ledger seed against a real redis-server: 120 000 deposits in three chunks through the
 * `seed-ledger` command, then an event-log replica replays them (replay_done counts every entry) and
 * serves an ordinary account, history seq 1..N included; a second seed of the same Redis is refused
 * and changes nothing; a seed that finds its account moved on between chunks stops.
 */
import { Redis } from 'ioredis';
import { afterEach, describe, expect, it } from 'vitest';
import type { LogRecord } from '../log.ts';
import { runSeedCommand } from '../seed-command.ts';
import { bankClient, expectConsistent, type AccountBody, type HistoryBody } from '../test-support/bank-contract.ts';
import { hasRedisServer, RedisServer, requireRedis } from '../test-support/redis-server.ts';
import { startTestApp, type TestApp } from '../test-support/test-app.ts';
import { HISTORY_PREFIX, STREAM_KEY, VERSION_PREFIX } from './keys.ts';
import { decodeLogEvent } from './log-events.ts';
import { ACCOUNT_ID_PATTERN } from './model.ts';
import { DEFAULT_SEED_CHUNK, SEED_ACCOUNT, seedLedger, seedLedgerAt, seedOptionsProblem, SeedRefusedError } from './seed-ledger.ts';

if (!hasRedisServer && requireRedis) throw new Error('APP_TEST_REQUIRE_REDIS=1 but redis-server is not on PATH (apt-get install -y redis-server)');

describe('seed options', () => {
  it('uses a valid account id no workload makes (k6 opens r<tag>-a<n>, POST /accounts without id acc-…)', () => {
    expect(ACCOUNT_ID_PATTERN.test(SEED_ACCOUNT)).toBe(true);
    expect(SEED_ACCOUNT).not.toMatch(/^r[0-9a-z]+-a\d+$/);
    expect(SEED_ACCOUNT.startsWith('acc-')).toBe(false);
  });

  it('refuses what would break the ledger', () => {
    expect(seedOptionsProblem({ deposits: 10, amount: 1 })).toBeUndefined();
    expect(seedOptionsProblem({ deposits: 0, amount: 1 })).toMatch(/^deposits 0/);
    expect(seedOptionsProblem({ deposits: 2_000_001, amount: 1 })).toMatch(/^deposits/);
    expect(seedOptionsProblem({ deposits: 2_000_000, amount: 1_000_000_000 })).toMatch(/balance limit/);
    expect(seedOptionsProblem({ deposits: 1, amount: 1, account: 'a:b' })).toMatch(/^account "a:b"/);
  });
});

describe.skipIf(!hasRedisServer)('ledger seed', () => {
  const apps: TestApp[] = [];
  const servers: RedisServer[] = [];
  const clients: Redis[] = [];
  afterEach(async () => {
    await Promise.all(apps.splice(0).map((t) => t.stop()));
    for (const client of clients.splice(0)) client.disconnect();
    await Promise.all(servers.splice(0).map((r) => r.kill()));
  });
  const freshRedis = async (): Promise<{ server: RedisServer; client: Redis }> => {
    const server = await RedisServer.start();
    servers.push(server);
    const client = new Redis(server.url);
    // The last test kills its server under this client: no unhandled error events.
    client.on('error', () => {});
    clients.push(client);
    return { server, client };
  };
  const seedCommand = async (args: string[], url: string): Promise<{ code: number; lines: LogRecord[]; stderr: string }> => {
    const out: string[] = [];
    let stderr = '';
    const code = await runSeedCommand(args, { REDIS_URL: url }, { sink: (l) => out.push(l), stderr: (t) => (stderr += t) });
    return { code, lines: out.map((l) => JSON.parse(l) as LogRecord), stderr };
  };

  it('seeds 120 000 deposits in chunks that a replica replays into a consistent account; a second seed is refused', async () => {
    const { server, client } = await freshRedis();
    const deposits = 120_000;
    expect(deposits).toBeGreaterThan(2 * DEFAULT_SEED_CHUNK);

    const first = await seedCommand([String(deposits), '--amount', '7'], server.url);
    expect(first.stderr).toBe('');
    expect(first.code).toBe(0);
    expect(first.lines).toHaveLength(1);
    const done = first.lines[0];
    expect(done).toMatchObject({ level: 'info', event: 'seed_done', replica: 'seed-ledger', events: deposits + 1, account: SEED_ACCOUNT, amount: 7, chunks: 3 });
    expect(done?.durationMs).toEqual(expect.any(Number));
    console.log(`seeded ${deposits + 1} entries in ${String(done?.durationMs)} ms: ${String(done?.eventsPerSecond)} events/s`);

    // The store's layout: the opening, then deposits seq 1..N (across chunks), version N, history N lines.
    expect(await client.xlen(STREAM_KEY)).toBe(deposits + 1);
    expect(await client.get(VERSION_PREFIX + SEED_ACCOUNT)).toBe(String(deposits));
    expect(await client.llen(HISTORY_PREFIX + SEED_ACCOUNT)).toBe(deposits);
    const edges = [...(await client.xrange(STREAM_KEY, '-', '+', 'COUNT', 2)), ...(await client.xrevrange(STREAM_KEY, '+', '-', 'COUNT', 1))];
    expect(edges.map(([, fields]) => decodeLogEvent(fields[1] ?? ''))).toMatchObject([
      { type: 'opened', account: SEED_ACCOUNT },
      { type: 'deposit', account: SEED_ACCOUNT, amount: 7, seq: 1, key: 'seed-1' },
      { type: 'deposit', account: SEED_ACCOUNT, amount: 7, seq: deposits, key: `seed-${deposits}` },
    ]);

    // A replica replays every entry and serves the account like any other, and can go on writing to it.
    const t = await startTestApp({ store: 'event-log', redisUrl: server.url, replica: 'seeded-1', listenWhenReady: true });
    apps.push(t);
    expect(t.logs().find((l) => l.event === 'replay_done')).toMatchObject({ events: deposits + 1, fromSnapshot: false, accounts: 1 });
    const bank = bankClient(t.port);
    const account = (await bank.get(SEED_ACCOUNT)).json as AccountBody;
    expect(account).toEqual({ id: SEED_ACCOUNT, balance: deposits * 7, version: deposits });
    const history = (await bank.history(SEED_ACCOUNT)).json as HistoryBody;
    expect(history.events).toHaveLength(deposits);
    expectConsistent(account, history);
    expect(t.logs().filter((l) => l.event === 'projection_anomaly')).toEqual([]);
    expect((await bank.deposit(SEED_ACCOUNT, 1)).json).toEqual({ balance: deposits * 7 + 1, version: deposits + 1 });

    // Seeding the same Redis again: refused, exit 1, nothing appended.
    const length = await client.xlen(STREAM_KEY);
    const second = await seedCommand(['5'], server.url);
    expect(second.code).toBe(1);
    expect(second.lines).toMatchObject([{ level: 'error', event: 'seed_failed', account: SEED_ACCOUNT, reason: 'account_exists', appended: 0 }]);
    expect(second.stderr).toMatch(/^seed-ledger: account seed-history exists already \(version 120001\)/);
    expect(await client.xlen(STREAM_KEY)).toBe(length);
    expect(await client.get(VERSION_PREFIX + SEED_ACCOUNT)).toBe(String(deposits + 1));
  });

  it('stops when another writer moves the account on between chunks, leaving a consistent prefix', async () => {
    const { client } = await freshRedis();
    let moved = false;
    const seeding = seedLedger(client, {
      account: 'seed-moved',
      deposits: 30,
      amount: 1,
      chunkSize: 10,
      // Same connection: this SET reaches Redis before the next chunk's script.
      onChunk: () => {
        if (moved) return;
        moved = true;
        void client.set(VERSION_PREFIX + 'seed-moved', '99');
      },
    });
    await expect(seeding).rejects.toThrow(SeedRefusedError);
    await expect(seeding).rejects.toMatchObject({ reason: 'account_moved' });
    expect(await client.xlen(STREAM_KEY)).toBe(11);
    expect(await client.llen(HISTORY_PREFIX + 'seed-moved')).toBe(10);
  });

  it('refuses an account that has a history but no version (foreign data), and one opened by the store', async () => {
    const { client } = await freshRedis();
    await client.rpush(HISTORY_PREFIX + 'seed-a', '{}');
    await expect(seedLedger(client, { account: 'seed-a', deposits: 3, amount: 1 })).rejects.toMatchObject({ reason: 'account_exists' });
    await client.set(VERSION_PREFIX + 'seed-b', '0');
    await expect(seedLedger(client, { account: 'seed-b', deposits: 3, amount: 1 })).rejects.toMatchObject({ reason: 'account_exists' });
    expect(await client.exists(STREAM_KEY)).toBe(0);
  });

  it('fails with exit 1 and seed_failed when Redis cannot be reached', async () => {
    const { server } = await freshRedis();
    await server.kill();
    const out: string[] = [];
    const code = await runSeedCommand(['10'], { REDIS_URL: server.url }, {
      sink: (l) => out.push(l),
      stderr: () => {},
      seed: (url, options) => seedLedgerAt(url, { ...options, connectWaitMs: 300 }),
    });
    expect(code).toBe(1);
    expect(out.map((l) => JSON.parse(l) as LogRecord)).toMatchObject([{ level: 'error', event: 'seed_failed', reason: 'redis', appended: 0 }]);
  });
});
