import { describe, expect, it } from 'vitest';
import { parseConfig, type Env } from './config.ts';

const parse = (env: Env) => parseConfig(env, () => 'host-1');

describe('parseConfig', () => {
  it('applies the defaults', () => {
    expect(parse({ STATE_STORE: 'memory' })).toEqual({
      ok: true,
      config: {
        store: 'memory',
        redisUrl: undefined,
        port: 8080,
        host: undefined,
        replica: 'host-1',
        shutdownGraceMs: 5000,
        shutdownDelayMs: 0,
        sessionTtlSeconds: 3600,
        logRequests: false,
        listenWhenReady: true,
        snapshotEveryEvents: 1000,
        snapshotEveryMs: 60_000,
      },
    });
  });

  it('reads every variable', () => {
    const result = parse({
      STATE_STORE: 'redis',
      REDIS_URL: 'redis://redis:6379',
      PORT: '9000',
      HOST: '0.0.0.0',
      REPLICA_NAME: 'app-2',
      SHUTDOWN_GRACE_MS: '8000',
      SHUTDOWN_DELAY_MS: '1000',
      SESSION_TTL_S: '60',
      LOG_REQUESTS: '1',
      LISTEN_WHEN_READY: '0',
      SNAPSHOT_EVERY_EVENTS: '500',
      SNAPSHOT_EVERY_MS: '0',
    });
    expect(result).toEqual({
      ok: true,
      config: {
        store: 'redis',
        redisUrl: 'redis://redis:6379',
        port: 9000,
        host: '0.0.0.0',
        replica: 'app-2',
        shutdownGraceMs: 8000,
        shutdownDelayMs: 1000,
        sessionTtlSeconds: 60,
        logRequests: true,
        listenWhenReady: false,
        snapshotEveryEvents: 500,
        snapshotEveryMs: 0,
      },
    });
  });

  it('takes the event-log store, which needs REDIS_URL too', () => {
    const result = parse({ STATE_STORE: 'event-log', REDIS_URL: 'redis://redis:6379', SNAPSHOT_EVERY_EVENTS: '0', SNAPSHOT_EVERY_MS: '86400000' });
    expect(result).toMatchObject({ ok: true, config: { store: 'event-log', redisUrl: 'redis://redis:6379', snapshotEveryEvents: 0, snapshotEveryMs: 86_400_000 } });
    expect(parse({ STATE_STORE: 'event-log' })).toEqual({
      ok: false,
      errors: ['REDIS_URL: nothing is not allowed; expected a redis:// or rediss:// URL such as redis://redis:6379 (required when STATE_STORE=event-log)'],
    });
  });

  it('ignores REDIS_URL for the memory store', () => {
    const result = parse({ STATE_STORE: 'memory', REDIS_URL: 'not a url' });
    expect(result.ok && result.config.redisUrl).toBeUndefined();
  });

  it.each([
    [{}, 'STATE_STORE: nothing is not allowed; expected one of memory, redis'],
    [{ STATE_STORE: 'mongo' }, 'STATE_STORE: "mongo" is not allowed; expected one of memory, redis'],
    [{ STATE_STORE: 'redis' }, 'REDIS_URL: nothing is not allowed; expected a redis:// or rediss:// URL'],
    [{ STATE_STORE: 'redis', REDIS_URL: 'http://redis:6379' }, 'REDIS_URL: "http://redis:6379" is not allowed'],
    [{ STATE_STORE: 'memory', PORT: 'eighty' }, 'PORT: "eighty" is not allowed; expected an integer from 0 to 65535'],
    [{ STATE_STORE: 'memory', PORT: '70000' }, 'PORT: "70000" is not allowed'],
    [{ STATE_STORE: 'memory', PORT: '-1' }, 'PORT: "-1" is not allowed'],
    [{ STATE_STORE: 'memory', SHUTDOWN_GRACE_MS: '1.5' }, 'SHUTDOWN_GRACE_MS: "1.5" is not allowed'],
    [{ STATE_STORE: 'memory', SHUTDOWN_DELAY_MS: '6000' }, 'SHUTDOWN_DELAY_MS: "6000" is not allowed; expected at most SHUTDOWN_GRACE_MS (5000)'],
    [{ STATE_STORE: 'memory', SESSION_TTL_S: '0' }, 'SESSION_TTL_S: "0" is not allowed'],
    [{ STATE_STORE: 'memory', REPLICA_NAME: 'has space' }, 'REPLICA_NAME: "has space" is not allowed'],
    [{ STATE_STORE: 'memory', LOG_REQUESTS: 'yes' }, 'LOG_REQUESTS: "yes" is not allowed; expected one of 1, true, 0, false'],
    [{ STATE_STORE: 'memory', SNAPSHOT_EVERY_EVENTS: '-5' }, 'SNAPSHOT_EVERY_EVENTS: "-5" is not allowed; expected an integer from 0 to 1000000000 (default 1000)'],
    [{ STATE_STORE: 'memory', SNAPSHOT_EVERY_MS: '1m' }, 'SNAPSHOT_EVERY_MS: "1m" is not allowed; expected an integer from 0 to 604800000 (default 60000)'],
  ])('rejects %j naming the variable, the value and what is allowed', (env, message) => {
    const result = parse(env);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.errors.join('\n')).toContain(message);
  });

  it('reports every problem at once', () => {
    const result = parse({ STATE_STORE: 'x', PORT: 'y' });
    expect(result.ok === false && result.errors).toHaveLength(2);
  });
});
