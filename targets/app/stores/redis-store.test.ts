/**
 * The stateless placement against a real redis-server (spawned on 127.0.0.1, a free port): the same
 * HTTP contract, sessions shared by two app instances, no lost update under concurrency, and
 * readiness following Redis as it dies, comes back, and pauses.
 */
import { Agent } from 'node:http';
import { Redis } from 'ioredis';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../log.ts';
import { contractTests } from '../test-support/contract.ts';
import { request, sessionCookie, waitFor } from '../test-support/http-client.ts';
import { startCutProxy } from '../test-support/cut-proxy.ts';
import { hasRedisServer, RedisServer, requireRedis } from '../test-support/redis-server.ts';
import { startTestApp, type TestApp } from '../test-support/test-app.ts';
import { KEY_PREFIX, RedisSessionStore } from './redis-store.ts';
import { MAX_CART_LINES } from './session-store.ts';

if (!hasRedisServer) {
  if (requireRedis) throw new Error('APP_TEST_REQUIRE_REDIS=1 but redis-server is not on PATH (apt-get install -y redis-server)');
  console.warn('redis-server is not on PATH: skipping the Redis store tests (apt-get install -y redis-server)');
}

interface CartBody {
  items: { sku: string; qty: number }[];
  count: number;
  version: number;
}

describe.skipIf(!hasRedisServer)('Redis store', () => {
  let redis: RedisServer;
  const apps: TestApp[] = [];
  const stores: RedisSessionStore[] = [];
  const spare: RedisServer[] = [];

  beforeAll(async () => {
    redis = await RedisServer.start();
  });
  afterEach(async () => {
    await Promise.all(apps.splice(0).map((t) => t.stop()));
    await Promise.all(stores.splice(0).map((s) => s.close()));
    await Promise.all(spare.splice(0).map((r) => r.kill()));
  });
  afterAll(async () => {
    await redis?.kill();
  });

  const startApp = async (replica: string, server: RedisServer = redis): Promise<TestApp> => {
    const t = await startTestApp({ store: 'redis', redisUrl: server.url, replica });
    apps.push(t);
    return t;
  };
  const directStore = async (ttlMs = 60_000): Promise<RedisSessionStore> => {
    const store = new RedisSessionStore({ url: redis.url, ttlMs, log: createLogger('direct', () => {}) });
    stores.push(store);
    // Commands fail fast until the connection is up (no offline queue); ping waits for it.
    await store.ping();
    return store;
  };

  describe('HTTP contract', () => {
    contractTests(() => startTestApp({ store: 'redis', redisUrl: redis.url, replica: 'redis-1' }), 'redis-1');
  });

  it('shares sessions between two app instances (the stateless property)', async () => {
    const a = await startApp('replica-a');
    const b = await startApp('replica-b');
    const cookie = sessionCookie(await request(a.port, 'POST', '/login', { body: { user: 'ann' } }));
    const added = await request(a.port, 'POST', '/cart/items', { cookie, body: { sku: 'apple', qty: 2 } });
    expect(added.headers['x-replica']).toBe('replica-a');

    const readOnB = await request(b.port, 'GET', '/cart', { cookie });
    expect(readOnB.headers['x-replica']).toBe('replica-b');
    expect(readOnB.json).toEqual(added.json);

    await request(b.port, 'POST', '/cart/items', { cookie, body: { sku: 'pear', qty: 1 } });
    expect((await request(a.port, 'GET', '/cart', { cookie })).json).toEqual({
      items: [
        { sku: 'apple', qty: 2 },
        { sku: 'pear', qty: 1 },
      ],
      count: 3,
      version: 2,
    });

    // A session survives the replica that created it.
    await a.stop();
    expect(((await request(b.port, 'GET', '/cart', { cookie })).json as CartBody).version).toBe(2);
    expect((await request(b.port, 'POST', '/logout', { cookie })).status).toBe(204);
  });

  it('loses no update when one session is written concurrently through two replicas', async () => {
    const a = await startApp('replica-a');
    const b = await startApp('replica-b');
    const cookie = sessionCookie(await request(a.port, 'POST', '/login', { body: { user: 'busy' } }));
    const agent = new Agent({ keepAlive: true, maxSockets: 25 });
    try {
      const writes = 60;
      const answers = await Promise.all(
        Array.from({ length: writes }, (_, i) =>
          request(i % 2 === 0 ? a.port : b.port, 'POST', '/cart/items', { cookie, agent, body: { sku: `sku-${i % 7}`, qty: 1 + (i % 3) } }),
        ),
      );
      for (const res of answers) expect(res.status, res.text).toBe(200);
      const versions = answers.map((res) => (res.json as CartBody).version).sort((x, y) => x - y);
      expect(versions).toEqual(Array.from({ length: writes }, (_, i) => i + 1));

      const final = (await request(b.port, 'GET', '/cart', { cookie })).json as CartBody;
      const expectedCount = Array.from({ length: writes }, (_, i) => 1 + (i % 3)).reduce((x, y) => x + y, 0);
      expect(final.version).toBe(writes);
      expect(final.count).toBe(expectedCount);
      expect(final.items).toHaveLength(7);
    } finally {
      agent.destroy();
    }
  });

  it('stores a session as one hash with a TTL that writes renew, and expires it', async () => {
    const store = await directStore(400);
    const inspect = new Redis(redis.url, { lazyConnect: true, maxRetriesPerRequest: 0 });
    try {
      await inspect.connect();
      const session = await store.create('ttl');
      const key = KEY_PREFIX + session.sid;
      expect(await inspect.hgetall(key)).toEqual({ user: 'ttl', version: '0', items: '[]' });
      const ttl = await inspect.pttl(key);
      expect(ttl).toBeGreaterThan(0);
      expect(ttl).toBeLessThanOrEqual(400);

      await new Promise((resolve) => setTimeout(resolve, 250));
      expect((await store.addItem(session.sid, { sku: 'a', qty: 1 })).status).toBe('ok');
      expect(await inspect.pttl(key)).toBeGreaterThan(300);

      const gone = await waitFor(async () => (await store.getCart(session.sid)) === undefined, 2000);
      expect(gone).toBe(true);
      expect(await inspect.exists(key)).toBe(0);
    } finally {
      inspect.disconnect();
    }
  });

  it('never resurrects a destroyed session on a later add', async () => {
    const store = await directStore();
    const session = await store.create('gone');
    expect(await store.destroy(session.sid)).toBe(true);
    expect(await store.addItem(session.sid, { sku: 'a', qty: 1 })).toEqual({ status: 'unknown_session' });
    expect(await store.getCart(session.sid)).toBeUndefined();
    expect(await store.destroy(session.sid)).toBe(false);
  });

  it('refuses a sku beyond the cart line limit with cart_full', async () => {
    const store = await directStore();
    const session = await store.create('full');
    for (let i = 0; i < MAX_CART_LINES; i += 1) expect((await store.addItem(session.sid, { sku: `s${i}`, qty: 1 })).status).toBe('ok');
    expect(await store.addItem(session.sid, { sku: 'one-more', qty: 1 })).toEqual({ status: 'cart_full' });
    const merged = await store.addItem(session.sid, { sku: 's0', qty: 1 });
    expect(merged.status === 'ok' && merged.cart.version).toBe(MAX_CART_LINES + 1);
  });

  it('goes 503 when Redis is killed and 200 again when it comes back', async () => {
    const own = await RedisServer.start();
    spare.push(own);
    const t = await startApp('replica-k', own);
    expect((await request(t.port, 'GET', '/readyz')).status).toBe(200);
    const cookie = sessionCookie(await request(t.port, 'POST', '/login', { body: { user: 'k' } }));

    await own.kill();
    const down = await waitFor(async () => (await request(t.port, 'GET', '/readyz')).status === 503, 5000);
    expect(down).toBe(true);
    const notReady = await request(t.port, 'GET', '/readyz');
    expect(notReady.headers['x-replica']).toBe('replica-k');
    expect(notReady.json).toMatchObject({ status: 'not_ready', store: 'redis' });
    const cart = await request(t.port, 'GET', '/cart', { cookie });
    expect(cart.status).toBe(503);
    expect(cart.json).toMatchObject({ error: 'store_unavailable' });
    expect((await request(t.port, 'GET', '/healthz')).status).toBe(200);

    await own.restart();
    const up = await waitFor(async () => (await request(t.port, 'GET', '/readyz')).status === 200, 10_000);
    expect(up).toBe(true);
    // Redis came back empty (no persistence): the session is gone, which the client sees as a 401.
    expect((await request(t.port, 'GET', '/cart', { cookie })).status).toBe(401);
    expect((await request(t.port, 'POST', '/login', { body: { user: 'k2' } })).status).toBe(200);

    const transitions = t.logs().filter((l) => l.event === 'ready' || l.event === 'not_ready');
    expect(transitions.map((l) => [l.event, l.first])).toEqual([
      ['ready', true],
      ['not_ready', undefined],
      ['ready', false],
    ]);
  });

  it('answers 503 within about a second while Redis is paused, and recovers', async () => {
    const own = await RedisServer.start();
    spare.push(own);
    const t = await startApp('replica-p', own);
    const cookie = sessionCookie(await request(t.port, 'POST', '/login', { body: { user: 'p' } }));
    own.pause();
    try {
      const began = Date.now();
      const cart = await request(t.port, 'GET', '/cart', { cookie });
      expect(cart.status).toBe(503);
      expect(Date.now() - began).toBeLessThan(2500);
      expect(await waitFor(async () => (await request(t.port, 'GET', '/readyz')).status === 503, 5000)).toBe(true);
    } finally {
      own.resume();
    }
    expect(await waitFor(async () => (await request(t.port, 'GET', '/readyz')).status === 200, 10_000)).toBe(true);
    expect((await request(t.port, 'GET', '/cart', { cookie })).json).toMatchObject({ version: 0 });
  });

  it('drops a connection that went silent (a network cut, no FIN or RST) and serves again on a new one', async () => {
    const proxy = await startCutProxy(redis.port);
    try {
      const t = await startTestApp({ store: 'redis', redisUrl: proxy.url, replica: 'replica-cut' });
      apps.push(t);
      const cookie = sessionCookie(await request(t.port, 'POST', '/login', { body: { user: 'c' } }));
      proxy.cut();
      // The cut connection times out once; the app then connects afresh and serves the same session.
      expect((await request(t.port, 'GET', '/cart', { cookie })).status).toBe(503);
      expect(await waitFor(async () => (await request(t.port, 'GET', '/readyz')).status === 200, 10_000)).toBe(true);
      expect((await request(t.port, 'GET', '/cart', { cookie })).json).toMatchObject({ version: 0 });
    } finally {
      await proxy.close();
    }
  });

  it('is not ready at start while Redis is unreachable, and says why', async () => {
    const own = await RedisServer.start();
    await own.kill();
    const t = await startApp('replica-n', own);
    const res = await request(t.port, 'GET', '/readyz');
    expect(res.status).toBe(503);
    expect((res.json as { reason: string }).reason).toContain('redis');
    expect(t.events()).toContain('not_ready');
    expect(t.events()).not.toContain('ready');
  });
});
