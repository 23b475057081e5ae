/**
 * How the app talks to Redis, shared by the session store and the bank stores: one connection
 * policy (fail fast while disconnected, reconnect forever), one translation of connection trouble
 * into StoreUnavailableError (503), a readiness ping, and Lua scripts sent by digest.
 */
import { createHash } from 'node:crypto';
import { Redis } from 'ioredis';
import type { Logger } from '../log.ts';
import { errorMessage } from '../log.ts';
import { StoreUnavailableError } from './session-store.ts';

export interface RedisClientOptions {
  /** A command not answered by then fails (503), e.g. while Redis is paused. */
  commandTimeoutMs?: number;
  /** Extra fields on this client's `store_error` log lines, to tell connections apart. */
  logFields?: Readonly<Record<string, unknown>>;
}

export function createRedisClient(url: string, log: Logger, options: RedisClientOptions = {}): Redis {
  const redis = new Redis(url, {
    // Fail fast while disconnected instead of queueing: the client gets a 503 now, and a write is
    // never replayed behind its back after a reconnect.
    enableOfflineQueue: false,
    autoResendUnfulfilledCommands: false,
    maxRetriesPerRequest: 0,
    commandTimeout: options.commandTimeoutMs ?? 1000,
    connectTimeout: 2000,
    // Reconnect forever, at most 1 s apart, so readiness returns soon after Redis does.
    retryStrategy: (attempt: number) => Math.min(attempt * 100, 1000),
  });
  let lastError: string | undefined;
  redis.on('error', (error: unknown) => {
    // ioredis repeats the error on every reconnect attempt; log each distinct one once.
    const message = errorMessage(error);
    if (message === lastError) return;
    lastError = message;
    log.warn('store_error', { store: 'redis', ...options.logFields, message });
  });
  redis.on('ready', () => {
    lastError = undefined;
  });
  return redis;
}

/** Connection trouble becomes StoreUnavailableError (503); anything else stays a bug (500). */
export function translateRedisError(redis: Redis, error: unknown): Error {
  if (error instanceof StoreUnavailableError) return error;
  if (error instanceof Error && error.name === 'ReplyError') {
    // Server-side states that pass (loading a dump, busy script, failover) count as unavailable.
    if (/^(LOADING|BUSY|READONLY|MASTERDOWN|CLUSTERDOWN|TRYAGAIN|OOM)\b/.test(error.message)) {
      return new StoreUnavailableError(`redis: ${error.message}`, { cause: error });
    }
    return error;
  }
  // ioredis says "Stream isn't writeable and enableOfflineQueue options is false" when not connected.
  const message = redis.status === 'ready' ? errorMessage(error) : `not connected (${redis.status})`;
  return new StoreUnavailableError(`redis: ${message}`, { cause: error });
}

/** Runs a command, translating its failure. */
export async function redisCall<T>(redis: Redis, operation: () => Promise<T>): Promise<T> {
  try {
    return await operation();
  } catch (error) {
    dropSilentConnection(redis, error);
    throw translateRedisError(redis, error);
  }
}

/**
 * A command that timed out on a connection ioredis still calls ready means the connection went
 * silent: a network cut sends no FIN or RST, so the socket would stay "ready" until the kernel gives
 * up on it (many minutes), and every command on it would time out — after a partition is healed
 * with a new address, forever. Dropping it makes ioredis connect afresh (its retryStrategy), which
 * works as soon as Redis is reachable again; a Redis that is merely slow gets a new connection too.
 */
function dropSilentConnection(redis: Redis, error: unknown): void {
  if (redis.status !== 'ready') return;
  const text = errorMessage(error);
  if (text === 'Command timed out' || / timed out after \d+ ms$/.test(text)) redis.disconnect(true);
}

/** Resolves when Redis answers a PING within timeoutMs; waits that long for a connection being set up. */
export async function pingRedis(redis: Redis, timeoutMs: number): Promise<void> {
  const status = redis.status;
  // While a connection is being set up (at start, mostly) give it the ping's time to finish, so a
  // replica whose Redis answers at once logs `ready` at once instead of `not_ready` first.
  if (status === 'wait' || status === 'connecting' || status === 'connect') await untilReady(redis, timeoutMs);
  else if (status !== 'ready') throw new StoreUnavailableError(`redis connection is ${status}`);
  await redisCall(redis, () => withTimeout(redis.ping(), timeoutMs, 'redis PING'));
}

export function untilReady(redis: Redis, ms: number): Promise<void> {
  if (redis.status === 'ready') return Promise.resolve();
  return new Promise<void>((resolve, reject) => {
    const onReady = (): void => {
      clearTimeout(timer);
      resolve();
    };
    const timer = setTimeout(() => {
      redis.off('ready', onReady);
      reject(new StoreUnavailableError(`redis connection is ${redis.status} after ${ms} ms`));
    }, ms);
    redis.once('ready', onReady);
  });
}

export async function closeRedis(redis: Redis): Promise<void> {
  try {
    await withTimeout(redis.quit(), 1000, 'redis QUIT');
  } catch {
    // Unreachable or slow: drop the connection without the goodbye.
  } finally {
    redis.disconnect();
  }
}

export function withTimeout<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new StoreUnavailableError(`${what} timed out after ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

/** A Lua script sent by digest (EVALSHA), with its source sent once when Redis does not know it yet. */
export class LuaScript {
  readonly sha: string;

  constructor(readonly source: string) {
    this.sha = createHash('sha1').update(source).digest('hex');
  }

  /** Raw reply; callers check its shape. Errors are translated (connection trouble → 503). */
  run(redis: Redis, keys: readonly string[], args: readonly (string | number)[]): Promise<unknown> {
    return redisCall(redis, async () => {
      try {
        return (await redis.evalsha(this.sha, keys.length, ...keys, ...args)) as unknown;
      } catch (error) {
        // After a Redis restart (or the first time) the script cache is empty: send the source once.
        if (errorMessage(error).startsWith('NOSCRIPT')) return (await redis.eval(this.source, keys.length, ...keys, ...args)) as unknown;
        throw error;
      }
    });
  }
}
