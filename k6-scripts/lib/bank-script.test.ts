/**
 * k6-scripts/bank.ts on the built-in engine against the real reference app in-process (127.0.0.1,
 * port 0): the books balance on the memory store and on the event-log store (two replicas behind a
 * round-robin TCP proxy, a redis-server spawned for the test); and when the memory store's process is
 * replaced mid-run (a stateful replica's death), the lost transactions are counted.
 */
import { createServer, connect, type Server, type Socket } from 'node:net';
import { describe, expect, it } from 'vitest';
import { hasRedisServer, RedisServer } from '../../targets/app/test-support/redis-server.ts';
import type { TestApp } from '../../targets/app/test-support/test-app.ts';
import { pointsOf, runScript, testApps, type ScriptRun } from '../tests/run-script.ts';
import { judgeConservation, type ConservationVerdict } from './bank-conservation.ts';
import {
  METRIC_AUDIT_ACCOUNTS,
  METRIC_AUDIT_BALANCE,
  METRIC_CONSERVATION,
  METRIC_DEPOSITED,
  METRIC_DUPLICATED,
  METRIC_LOST,
  METRIC_OPS,
  METRIC_UNKNOWN_CENTS,
  METRIC_WITHDRAWN,
} from './bank-metrics.ts';

const RUN_TIMEOUT_MS = 90_000;

const { app, cleanups } = testApps();

function loadEnv(port: number, vus: number, duration: string): Record<string, string> {
  return {
    BASE_URL: `http://127.0.0.1:${port}`,
    VUS: String(vus),
    DURATION: duration,
    THINK_TIME: '0.01',
    GRACEFUL_STOP: '1s',
    REQUEST_TIMEOUT: '2s',
    BANK_ACCOUNTS: '8',
    BANK_AUDIT_EVERY: '10',
  };
}

const sum = (run: ScriptRun, metric: string, filter: (tags: Record<string, string>) => boolean = () => true): number =>
  pointsOf(run, metric)
    .filter((p) => filter(p.tags))
    .reduce((total, p) => total + p.value, 0);

function verdict(run: ScriptRun): ConservationVerdict {
  return judgeConservation({
    deposited: sum(run, METRIC_DEPOSITED),
    withdrawn: sum(run, METRIC_WITHDRAWN),
    unknownDeposited: sum(run, METRIC_UNKNOWN_CENTS, (t) => t['op'] === 'deposit'),
    unknownWithdrawn: sum(run, METRIC_UNKNOWN_CENTS, (t) => t['op'] === 'withdraw'),
    observed: sum(run, METRIC_AUDIT_BALANCE),
  });
}

function expectBooksBalance(run: ScriptRun): void {
  expect(run.stderr).not.toMatch(/level=error|ERRO/);
  expect(run.exitCode).toBe(0);
  const confirmed = sum(run, METRIC_OPS, (t) => t['outcome'] === 'confirmed');
  expect(confirmed).toBeGreaterThan(50);
  for (const op of ['deposit', 'withdraw', 'transfer']) expect(sum(run, METRIC_OPS, (t) => t['op'] === op && t['outcome'] === 'confirmed'), op).toBeGreaterThan(0);
  expect(sum(run, METRIC_LOST)).toBe(0);
  expect(sum(run, METRIC_DUPLICATED)).toBe(0);
  expect(sum(run, METRIC_CONSERVATION)).toBe(0);
  expect(sum(run, METRIC_AUDIT_ACCOUNTS, (t) => t['state'] === 'ok')).toBe(8);
  expect(verdict(run)).toMatchObject({ holds: true });
  // Every check passed, in the run (receipts) and at teardown.
  const checks = pointsOf(run, 'checks');
  expect(checks.length).toBeGreaterThan(6);
  expect(checks.filter((p) => p.value !== 1).map((p) => p.tags['check'])).toEqual([]);
}

/** Spreads connections over the backends in turn, like a round-robin balancer without stickiness. */
async function roundRobin(ports: readonly number[]): Promise<number> {
  let next = 0;
  const sockets = new Set<Socket>();
  const server: Server = createServer((client) => {
    const upstream = connect(ports[next++ % ports.length] ?? 0, '127.0.0.1');
    for (const socket of [client, upstream]) {
      sockets.add(socket);
      socket.on('close', () => sockets.delete(socket));
      socket.on('error', () => undefined);
    }
    client.pipe(upstream).pipe(client);
    client.on('close', () => upstream.destroy());
    upstream.on('close', () => client.destroy());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  cleanups.push(async () => {
    for (const socket of sockets) socket.destroy();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });
  const address = server.address();
  return typeof address === 'object' && address !== null ? address.port : 0;
}

describe('bank.ts on the built-in engine', () => {
  it('keeps the books balanced on the memory store', { timeout: RUN_TIMEOUT_MS }, async () => {
    const target = await app({ replica: 'bank-1' });
    const run = await runScript('bank.ts', loadEnv(target.port, 4, '3s'));
    expectBooksBalance(run);
    expect(pointsOf(run, 'app_responses').every((p) => p.tags['replica'] === 'bank-1')).toBe(true);
  });

  it.skipIf(!hasRedisServer)('keeps the books balanced on the event-log store, two replicas round robin', { timeout: RUN_TIMEOUT_MS }, async () => {
    const redis = await RedisServer.start();
    cleanups.push(() => redis.kill());
    const common = { store: 'event-log' as const, redisUrl: redis.url, snapshotEveryEvents: 50 };
    const a = await app({ ...common, replica: 'es-a' });
    const b = await app({ ...common, replica: 'es-b' });
    const port = await roundRobin([a.port, b.port]);
    const run = await runScript('bank.ts', loadEnv(port, 6, '3s'));
    expectBooksBalance(run);
    const replicas = new Set(pointsOf(run, 'app_responses').map((p) => p.tags['replica']));
    expect(replicas).toEqual(new Set(['es-a', 'es-b']));
    expect([...a.logs(), ...b.logs()].some((l) => l.event === 'snapshot_written')).toBe(true);
  });

  it('counts the transactions lost when the memory store\'s process is replaced mid-run', { timeout: RUN_TIMEOUT_MS }, async () => {
    const first = await app({ replica: 'mem-a', logRequests: true });
    const port = first.port;
    let second: TestApp | undefined;
    // Replace the process on the same port once the load is well under way (the engine takes a
    // moment to start): every account dies with the first.
    const writes = (): number => first.logs().filter((l) => l.event === 'request' && l.method === 'POST' && l.status === 200).length;
    const restart = (async (): Promise<void> => {
      for (let i = 0; i < 200 && writes() < 60; i += 1) await new Promise((resolve) => setTimeout(resolve, 50));
      expect(writes()).toBeGreaterThanOrEqual(60);
      await first.stop();
      second = await app({ replica: 'mem-b', port });
    })();
    const run = await runScript('bank.ts', loadEnv(port, 4, '5s'));
    await restart;
    expect(second).toBeDefined();
    expect(run.exitCode).toBe(0);

    const lostInRun = pointsOf(run, METRIC_LOST).filter((p) => p.tags['phase'] === 'run');
    // Every operation the first process confirmed died with it, and each is counted once.
    const confirmedByFirst = pointsOf(run, 'app_responses').filter(
      (p) => p.tags['replica'] === 'mem-a' && p.tags['status'] === '200' && ['deposit', 'withdraw', 'transfer'].includes(p.tags['name'] ?? ''),
    ).length;
    expect(confirmedByFirst).toBeGreaterThanOrEqual(60);
    expect(sum(run, METRIC_LOST, (t) => t['phase'] === 'run')).toBe(confirmedByFirst);
    for (const p of lostInRun) expect(['account_unknown', 'missing_from_history']).toContain(p.tags['reason']);
    expect(sum(run, METRIC_DUPLICATED)).toBe(0);
    const judged = verdict(run);
    expect(judged.holds).toBe(false);
    expect(judged.lostCents).toBeGreaterThan(0);
    expect(judged.createdCents).toBe(0);
    expect(pointsOf(run, 'checks').some((p) => p.value === 0)).toBe(true);
  });
});
