/**
 * The stateless placement of the ledger against a real redis-server (spawned on 127.0.0.1): the bank
 * contract, accounts shared by two app instances, and 50 concurrent withdrawals through both that
 * never overdraw, with retried keys applied once whichever instance gets the retry.
 */
import { Redis } from 'ioredis';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { bankClient, bankContractTests, concurrentWithdrawals, expectConsistent, uniqueId, type AccountBody, type HistoryBody } from '../../test-support/bank-contract.ts';
import { hasRedisServer, RedisServer, requireRedis } from '../../test-support/redis-server.ts';
import { startTestApp, type TestApp } from '../../test-support/test-app.ts';
import { ACCOUNT_PREFIX, HISTORY_PREFIX, IDEMPOTENCY_PREFIX } from '../keys.ts';

if (!hasRedisServer && requireRedis) throw new Error('APP_TEST_REQUIRE_REDIS=1 but redis-server is not on PATH (apt-get install -y redis-server)');

describe.skipIf(!hasRedisServer)('redis bank store', () => {
  let redis: RedisServer;
  const apps: TestApp[] = [];
  beforeAll(async () => {
    redis = await RedisServer.start();
  });
  afterEach(async () => {
    await Promise.all(apps.splice(0).map((t) => t.stop()));
  });
  afterAll(async () => {
    await redis?.kill();
  });
  const start = async (replica: string): Promise<TestApp> => {
    const t = await startTestApp({ store: 'redis', redisUrl: redis.url, replica });
    apps.push(t);
    return t;
  };

  describe('HTTP contract', () => {
    bankContractTests(() => startTestApp({ store: 'redis', redisUrl: redis.url, replica: 'bank-redis-1' }), 'bank-redis-1');
  });

  it('keeps balances, histories and decisions in Redis, shared by every replica', async () => {
    const a = await start('bank-a');
    const b = await start('bank-b');
    const id = uniqueId();
    await bankClient(a.port).open(id);
    await bankClient(a.port).deposit(id, 500, 'shared-key');
    expect((await bankClient(b.port).get(id)).json).toEqual({ id, balance: 500, version: 1 });
    const retried = await bankClient(b.port).deposit(id, 500, 'shared-key');
    expect(retried.json).toEqual({ balance: 500, version: 1 });
    expect(retried.headers['idempotent-replayed']).toBe('true');

    const client = new Redis(redis.url);
    try {
      expect(await client.hgetall(ACCOUNT_PREFIX + id)).toEqual({ balance: '500', version: '1' });
      expect(await client.llen(HISTORY_PREFIX + id)).toBe(1);
      expect(JSON.parse((await client.get(IDEMPOTENCY_PREFIX + 'shared-key')) ?? '{}')).toEqual({
        fp: `deposit:${id}:500`,
        decision: { status: 'applied', balances: [{ balance: 500, version: 1 }] },
      });
      const ttl = await client.pttl(IDEMPOTENCY_PREFIX + 'shared-key');
      expect(ttl).toBeGreaterThan(23 * 3600 * 1000);
    } finally {
      client.disconnect();
    }
  });

  it('never overdraws under 50 concurrent withdrawals through two replicas, retries included', async () => {
    const a = await start('conc-a');
    const b = await start('conc-b');
    const id = uniqueId();
    await bankClient(a.port).open(id);
    await bankClient(a.port).deposit(id, 1000);
    const answers = await concurrentWithdrawals([a.port, b.port], id, { clients: 50, amount: 30, duplicates: 20 });
    expect(answers).toHaveLength(70);
    expect(answers.every((r) => r.status === 200 || (r.status === 409 && (r.json as { error: string }).error === 'insufficient_funds')), JSON.stringify(answers.map((r) => r.status))).toBe(true);
    expect(new Set(answers.map((r) => r.headers['x-replica']))).toEqual(new Set(['conc-a', 'conc-b']));
    const versions = answers.filter((r) => r.status === 200).map((r) => (r.json as AccountBody).version);
    expect(new Set(versions).size).toBe(33);
    const account = (await bankClient(b.port).get(id)).json as AccountBody;
    expect(account).toEqual({ id, balance: 10, version: 34 });
    expectConsistent(account, (await bankClient(a.port).history(id)).json as HistoryBody);
  });

  it('keeps a transfer atomic under concurrent opposite transfers (no deadlock, no lost update)', async () => {
    const a = await start('tr-a');
    const b = await start('tr-b');
    const x = uniqueId();
    const y = uniqueId();
    await bankClient(a.port).open(x);
    await bankClient(a.port).open(y);
    await bankClient(a.port).deposit(x, 1000);
    await bankClient(a.port).deposit(y, 1000);
    const moves = Array.from({ length: 40 }, (_, i) =>
      i % 2 === 0 ? bankClient(a.port).transfer(x, y, 7 + i) : bankClient(b.port).transfer(y, x, 5 + i),
    );
    const answers = await Promise.all(moves);
    expect(answers.every((r) => r.status === 200)).toBe(true);
    const ax = (await bankClient(a.port).get(x)).json as AccountBody;
    const ay = (await bankClient(b.port).get(y)).json as AccountBody;
    expect(ax.balance + ay.balance).toBe(2000);
    expect(ax.version).toBe(41);
    expectConsistent(ax, (await bankClient(a.port).history(x)).json as HistoryBody);
    expectConsistent(ay, (await bankClient(a.port).history(y)).json as HistoryBody);
  });

  it('is not ready while Redis is unreachable, and says which store', async () => {
    const own = await RedisServer.start();
    await own.kill();
    const t = await startTestApp({ store: 'redis', redisUrl: own.url, replica: 'bank-down' });
    apps.push(t);
    const res = await bankClient(t.port).call('GET', '/readyz');
    expect(res.status).toBe(503);
    const deposit = await bankClient(t.port).deposit('whatever', 1);
    expect(deposit.status).toBe(503);
    expect(deposit.json).toMatchObject({ error: 'store_unavailable' });
  });
});
