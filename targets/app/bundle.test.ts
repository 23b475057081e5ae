/**
 * The image runs one esbuild bundle of main.ts: build it, start it with `node` as a child process,
 * and check it serves, logs JSON lines, stops cleanly on SIGTERM, and runs the one-shot `seed-ledger`
 * command. APP_TEST_NODE names another node binary to run the bundle with (e.g. Debian's Node 18, as
 * in the image).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { LogRecord } from './log.ts';
import { bundleApp } from './bundle.ts';
import { request, sessionCookie } from './test-support/http-client.ts';
import { hasRedisServer, RedisServer } from './test-support/redis-server.ts';

const nodeBinary = process.env.APP_TEST_NODE ?? process.execPath;

interface Running {
  child: ChildProcess;
  lines: LogRecord[];
  stderr: () => string;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** Resolves with the first log line that passes the test, or rejects after timeoutMs. */
  waitForLine(test: (line: LogRecord) => boolean, timeoutMs: number): Promise<LogRecord>;
}

describe('bundle', () => {
  let dir: string;
  let bundle: string;
  const children: ChildProcess[] = [];

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'app-bundle-'));
    bundle = join(dir, 'app.cjs');
    await bundleApp(bundle);
  });
  afterEach(() => {
    for (const child of children.splice(0)) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  });
  afterAll(async () => {
    if (dir !== undefined) await rm(dir, { recursive: true, force: true });
  });

  function run(env: Record<string, string>, args: readonly string[] = []): Running {
    const child = spawn(nodeBinary, [bundle, ...args], {
      cwd: dir,
      env: { PATH: process.env.PATH ?? '/usr/bin:/bin', HOST: '127.0.0.1', PORT: '0', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    children.push(child);
    const lines: LogRecord[] = [];
    const waiters: (() => void)[] = [];
    let pending = '';
    let stderr = '';
    child.stdout?.on('data', (chunk: Buffer) => {
      pending += chunk.toString();
      const parts = pending.split('\n');
      pending = parts.pop() ?? '';
      for (const part of parts) if (part !== '') lines.push(JSON.parse(part) as LogRecord);
      for (const wake of waiters) wake();
    });
    child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
      child.once('exit', (code, signal) => resolve({ code, signal })),
    );
    const waitForLine = (test: (line: LogRecord) => boolean, timeoutMs: number): Promise<LogRecord> =>
      new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`no such log line within ${timeoutMs} ms; stdout: ${JSON.stringify(lines)} stderr: ${stderr}`)), timeoutMs);
        const look = (): void => {
          const found = lines.find(test);
          if (found === undefined) return;
          clearTimeout(timer);
          resolve(found);
        };
        waiters.push(look);
        look();
      });
    return { child, lines, stderr: () => stderr, exited, waitForLine };
  }

  async function stopWithSigterm(app: Running): Promise<{ code: number | null; signal: NodeJS.Signals | null }> {
    app.child.kill('SIGTERM');
    return Promise.race([
      app.exited,
      new Promise<never>((_, reject) => setTimeout(() => reject(new Error('did not exit within 10 s of SIGTERM')), 10_000)),
    ]);
  }

  it('serves from the bundle with the memory store and exits 0 on SIGTERM', async () => {
    const app = run({ STATE_STORE: 'memory', REPLICA_NAME: 'bundle-1' });
    const listening = await app.waitForLine((l) => l.event === 'listening', 10_000);
    const port = listening.port as number;
    await app.waitForLine((l) => l.event === 'ready', 5000);

    const health = await request(port, 'GET', '/healthz');
    expect(health.status).toBe(200);
    expect(health.headers['x-replica']).toBe('bundle-1');
    expect((await request(port, 'GET', '/readyz')).status).toBe(200);
    const cookie = sessionCookie(await request(port, 'POST', '/login', { body: { user: 'b' } }));
    expect((await request(port, 'POST', '/cart/items', { cookie, body: { sku: 'a', qty: 1 } })).json).toMatchObject({ version: 1 });

    expect(await stopWithSigterm(app)).toEqual({ code: 0, signal: null });
    expect(app.stderr()).toBe('');
    const events = app.lines.map((l) => l.event);
    expect(events).toEqual(['starting', 'waiting_for_ready', 'ready', 'listening', 'signal', 'shutdown_begin', 'shutdown_done']);
    expect(app.lines.find((l) => l.event === 'ready')).toMatchObject({ level: 'info', replica: 'bundle-1', first: true });
    for (const line of app.lines) expect(line.time).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
  });

  it('exits 2 naming the variable when the configuration is bad', async () => {
    const app = run({ STATE_STORE: 'mongo' });
    const exit = await Promise.race([app.exited, new Promise<never>((_, reject) => setTimeout(() => reject(new Error('did not exit')), 10_000))]);
    expect(exit.code).toBe(2);
    expect(app.stderr()).toContain('STATE_STORE: "mongo" is not allowed; expected one of memory, redis');
    expect(app.lines[0]).toMatchObject({ level: 'error', event: 'config_invalid' });
  });

  it.skipIf(!hasRedisServer)('serves from the bundle with the Redis store (ioredis bundled)', async () => {
    const redis = await RedisServer.start();
    try {
      const app = run({ STATE_STORE: 'redis', REDIS_URL: redis.url, REPLICA_NAME: 'bundle-r' });
      const port = (await app.waitForLine((l) => l.event === 'listening', 10_000)).port as number;
      await app.waitForLine((l) => l.event === 'ready', 5000);
      expect((await request(port, 'GET', '/readyz')).json).toMatchObject({ status: 'ready', store: 'redis' });
      const cookie = sessionCookie(await request(port, 'POST', '/login', { body: { user: 'b' } }));
      await request(port, 'POST', '/cart/items', { cookie, body: { sku: 'a', qty: 2 } });
      expect((await request(port, 'POST', '/cart/items', { cookie, body: { sku: 'a', qty: 1 } })).json).toEqual({
        items: [{ sku: 'a', qty: 3 }],
        count: 3,
        version: 2,
      });
      expect(await stopWithSigterm(app)).toEqual({ code: 0, signal: null });
    } finally {
      await redis.kill();
    }
  });

  it.skipIf(!hasRedisServer)('seeds the ledger from the bundle (`node app.cjs seed-ledger <events>`), once', async () => {
    const redis = await RedisServer.start();
    try {
      const exit = (app: Running): Promise<{ code: number | null; signal: NodeJS.Signals | null }> =>
        Promise.race([app.exited, new Promise<never>((_, reject) => setTimeout(() => reject(new Error('did not exit within 10 s')), 10_000))]);
      const seed = run({ REDIS_URL: redis.url }, ['seed-ledger', '1000', '--amount', '3']);
      expect(await exit(seed)).toEqual({ code: 0, signal: null });
      expect(seed.stderr()).toBe('');
      expect(seed.lines).toMatchObject([{ level: 'info', event: 'seed_done', events: 1001, account: 'seed-history', durationMs: expect.any(Number) }]);

      const again = run({ REDIS_URL: redis.url }, ['seed-ledger', '1000']);
      expect(await exit(again)).toEqual({ code: 1, signal: null });
      expect(again.lines).toMatchObject([{ level: 'error', event: 'seed_failed', reason: 'account_exists' }]);
      expect(again.stderr()).toContain('account seed-history exists already');

      const bad = run({ REDIS_URL: redis.url }, ['seed-ledger', 'nope']);
      expect(await exit(bad)).toEqual({ code: 2, signal: null });
      expect(bad.stderr()).toMatch(/^<events>: "nope" is not allowed; expected an integer from 1 to 2000000/);
    } finally {
      await redis.kill();
    }
  });

  it.skipIf(!hasRedisServer)('serves the bank from the bundle with the event-log store: replay, ready, then the port', async () => {
    const redis = await RedisServer.start();
    try {
      const env = { STATE_STORE: 'event-log', REDIS_URL: redis.url, SNAPSHOT_EVERY_EVENTS: '2' };
      const first = run({ ...env, REPLICA_NAME: 'bundle-e1' });
      const port = (await first.waitForLine((l) => l.event === 'listening', 10_000)).port as number;
      expect((await request(port, 'POST', '/accounts', { body: { id: 'b1' } })).status).toBe(201);
      for (const key of ['d1', 'd2', 'd3']) await request(port, 'POST', '/accounts/b1/deposit', { body: { amount: 10, idempotencyKey: key } });
      await first.waitForLine((l) => l.event === 'snapshot_written', 5000);
      expect(await stopWithSigterm(first)).toEqual({ code: 0, signal: null });
      expect(first.stderr()).toBe('');

      const second = run({ ...env, REPLICA_NAME: 'bundle-e2' });
      const port2 = (await second.waitForLine((l) => l.event === 'listening', 10_000)).port as number;
      // (A slow machine may log not_ready while the replay runs: that is allowed, the order is not.)
      const events = second.lines.map((l) => l.event).filter((e) => e !== 'not_ready');
      expect(events.slice(0, 6)).toEqual(['starting', 'waiting_for_ready', 'replay_begin', 'replay_done', 'ready', 'listening']);
      expect(second.lines.find((l) => l.event === 'replay_done')).toMatchObject({ fromSnapshot: true, events: expect.any(Number), durationMs: expect.any(Number), eventsPerSecond: expect.any(Number) });
      expect((await request(port2, 'GET', '/accounts/b1')).json).toEqual({ id: 'b1', balance: 30, version: 3 });
      expect(await stopWithSigterm(second)).toEqual({ code: 0, signal: null });
    } finally {
      await redis.kill();
    }
  });
});
