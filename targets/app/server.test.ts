import { Agent } from 'node:http';
import { connect } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { contractTests } from './test-support/contract.ts';
import { GatedStore } from './test-support/gated-store.ts';
import { request, sessionCookie } from './test-support/http-client.ts';
import { startTestApp, type TestApp } from './test-support/test-app.ts';

describe('HTTP contract, memory store', () => {
  contractTests(() => startTestApp({ replica: 'mem-1' }), 'mem-1');
});

describe('server', () => {
  const started: TestApp[] = [];
  const releases: (() => void)[] = [];
  afterEach(async () => {
    for (const release of releases.splice(0)) release();
    await Promise.all(started.splice(0).map((t) => t.stop()));
  });
  const start = async (...args: Parameters<typeof startTestApp>): Promise<TestApp> => {
    const t = await startTestApp(...args);
    started.push(t);
    return t;
  };

  it('logs starting, listening and the first ready as JSON lines', async () => {
    const t = await start({ replica: 'log-1' });
    const logs = t.logs();
    expect(logs.map((l) => l.event).slice(0, 3)).toEqual(['starting', 'listening', 'ready']);
    for (const line of logs) {
      expect(line.time).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
      expect(line.replica).toBe('log-1');
      expect(['debug', 'info', 'warn', 'error']).toContain(line.level);
    }
    expect(logs.find((l) => l.event === 'listening')).toMatchObject({ port: t.port, store: 'memory' });
    expect(logs.find((l) => l.event === 'ready')).toMatchObject({ first: true });
    // No per-request lines unless asked for.
    await request(t.port, 'GET', '/healthz');
    expect(t.events()).not.toContain('request');
  });

  it('opens its port only once the store is reachable when LISTEN_WHEN_READY is on', async () => {
    const store = new GatedStore();
    let reachable = false;
    store.ping = () => (reachable ? Promise.resolve() : Promise.reject(new Error('store unreachable')));
    const starting = startTestApp({ replica: 'late-1', port: 0, listenWhenReady: true }, { store });
    await new Promise((resolve) => setTimeout(resolve, 300));
    // Not listening yet: nothing to connect to, so the load balancer retries another replica.
    const app = (await Promise.race([starting, Promise.resolve(undefined)])) as TestApp | undefined;
    expect(app).toBeUndefined();
    reachable = true;
    const t = await starting;
    started.push(t);
    const events = t.events();
    expect(events.slice(0, 2)).toEqual(['starting', 'waiting_for_ready']);
    expect(events.indexOf('listening')).toBeGreaterThan(events.indexOf('ready'));
    expect((await request(t.port, 'GET', '/readyz')).status).toBe(200);
  });

  it('logs each request when LOG_REQUESTS is on', async () => {
    const t = await start({ logRequests: true });
    await request(t.port, 'GET', '/nope');
    expect(t.logs().find((l) => l.event === 'request')).toMatchObject({ method: 'GET', path: '/nope', status: 404 });
  });

  it('answers malformed HTTP with 400 and X-Replica', async () => {
    const t = await start({ replica: 'raw-1' });
    const answer = await new Promise<string>((resolve, reject) => {
      const socket = connect(t.port, '127.0.0.1');
      let data = '';
      socket.setTimeout(3000, () => socket.destroy(new Error('timeout')));
      socket.on('data', (chunk) => (data += chunk.toString()));
      socket.on('end', () => resolve(data));
      socket.on('error', reject);
      socket.write('THIS IS NOT HTTP\r\n\r\n');
    });
    expect(answer).toMatch(/^HTTP\/1\.1 400 /);
    expect(answer).toContain('X-Replica: raw-1');
    expect(answer).toContain('"error":"bad_request"');
  });

  it('answers 500 internal with X-Replica when a handler fails unexpectedly', async () => {
    const t = await start({ replica: 'boom-1' }, {
      routes: [{ method: 'GET', path: '/boom', handle: () => Promise.reject(new Error('kaput')) }],
    });
    const res = await request(t.port, 'GET', '/boom');
    expect(res.status).toBe(500);
    expect(res.headers['x-replica']).toBe('boom-1');
    expect(res.json).toMatchObject({ error: 'internal' });
    expect(t.logs().find((l) => l.event === 'request_failed')).toMatchObject({ level: 'error', path: '/boom' });
  });

  describe('graceful stop', () => {
    it('turns not ready at once, refuses new connections, finishes the in-flight request, then closes the store', async () => {
      const store = new GatedStore();
      const t = await start({ shutdownGraceMs: 5000 }, { store });
      const cookie = sessionCookie(await request(t.port, 'POST', '/login', { body: { user: 'ann' } }));
      const gate = store.hold();
      releases.push(gate.release);
      const inFlight = request(t.port, 'POST', '/cart/items', { cookie, body: { sku: 'slow', qty: 1 } });
      await gate.entered;

      const stopping = t.app.stop();
      expect(t.app.readiness.current).toMatchObject({ ready: false, state: 'draining' });
      await expect(request(t.port, 'GET', '/healthz', { timeoutMs: 1000 })).rejects.toMatchObject({ code: 'ECONNREFUSED' });
      expect(store.closed).toBe(false);

      gate.release();
      const res = await inFlight;
      expect(res.status).toBe(200);
      expect(res.json).toEqual({ items: [{ sku: 'slow', qty: 1 }], count: 1, version: 1 });
      expect(res.headers.connection).toBe('close');

      const result = await stopping;
      expect(result.forced).toBe(false);
      expect(store.closed).toBe(true);
      const events = t.events();
      expect(events.indexOf('shutdown_begin')).toBeLessThan(events.indexOf('shutdown_done'));
      expect(t.logs().find((l) => l.event === 'shutdown_begin')).toMatchObject({ inFlight: 1 });
      expect(t.logs().find((l) => l.event === 'shutdown_done')).toMatchObject({ forced: false });
    });

    it('answers /readyz 503 (and /healthz 200) during SHUTDOWN_DELAY_MS, then stops listening', async () => {
      const t = await start({ shutdownDelayMs: 400, shutdownGraceMs: 3000 });
      expect((await request(t.port, 'GET', '/readyz')).status).toBe(200);
      const began = Date.now();
      const stopping = t.app.stop();

      const ready = await request(t.port, 'GET', '/readyz');
      expect(ready.status).toBe(503);
      expect(ready.headers['x-replica']).toBe('test-a');
      expect(ready.json).toMatchObject({ status: 'draining' });
      expect(ready.headers.connection).toBe('close');
      expect((await request(t.port, 'GET', '/healthz')).status).toBe(200);

      const result = await stopping;
      expect(Date.now() - began).toBeGreaterThanOrEqual(390);
      expect(result.forced).toBe(false);
      await expect(request(t.port, 'GET', '/readyz', { timeoutMs: 1000 })).rejects.toMatchObject({ code: 'ECONNREFUSED' });
    });

    it('closes idle keep-alive connections instead of waiting for them', async () => {
      const t = await start({ shutdownGraceMs: 5000 });
      const agent = new Agent({ keepAlive: true, maxSockets: 4 });
      try {
        await Promise.all([1, 2, 3].map(() => request(t.port, 'GET', '/healthz', { agent })));
        const result = await t.app.stop();
        expect(result.forced).toBe(false);
        expect(result.durationMs).toBeLessThan(1000);
      } finally {
        agent.destroy();
      }
    });

    it('cuts what is still open at SHUTDOWN_GRACE_MS and reports forced', async () => {
      const store = new GatedStore();
      const t = await start({ shutdownGraceMs: 300 }, { store });
      const cookie = sessionCookie(await request(t.port, 'POST', '/login', { body: { user: 'ann' } }));
      const gate = store.hold();
      releases.push(gate.release);
      const inFlight = request(t.port, 'POST', '/cart/items', { cookie, body: { sku: 'stuck', qty: 1 } });
      await gate.entered;

      const result = await t.app.stop();
      expect(result.forced).toBe(true);
      expect(result.durationMs).toBeGreaterThanOrEqual(290);
      expect(result.durationMs).toBeLessThan(2000);
      await expect(inFlight).rejects.toThrow();
      expect(t.events()).toContain('shutdown_forced');
    });

    it('is idempotent', async () => {
      const t = await start();
      const [a, b] = await Promise.all([t.app.stop(), t.app.stop()]);
      expect(a).toBe(b);
      expect(t.events().filter((e) => e === 'shutdown_done')).toHaveLength(1);
    });
  });
});
