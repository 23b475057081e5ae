/**
 * Stateless placement: sessions live in Redis, shared by every replica, so any replica can serve any
 * request and a replica's death loses nothing.
 *
 * A session is one hash `app:session:<sid>` with fields `user`, `version` and `items` (a JSON array),
 * and a TTL renewed by each write.
 *
 * Why a Lua script for adding an item: the write is read-modify-write (merge by sku, bump the version)
 * and must also refuse a session that no longer exists. A script runs atomically on the server, in one
 * round trip, so concurrent adds to one session cannot lose an update, and an add racing a logout
 * cannot resurrect the session (HINCRBY alone would recreate the key). WATCH/MULTI would need a retry
 * loop under contention, which is exactly the load pattern of a cart hammered by one client.
 */
import { createHash } from 'node:crypto';
import { Redis } from 'ioredis';
import type { Logger } from '../log.ts';
import { errorMessage } from '../log.ts';
import {
  MAX_CART_LINES,
  StoreUnavailableError,
  countItems,
  type AddItemResult,
  type Cart,
  type CartItem,
  type Session,
  type SessionStore,
} from './session-store.ts';
import { newSessionId } from './session-id.ts';

export const KEY_PREFIX = 'app:session:';

// KEYS[1] session hash; ARGV: sku, qty, ttl ms, max lines. Returns {0} unknown session, {2} cart
// full, or {1, items JSON, version}. Mirrors mergeItem() in session-store.ts.
const ADD_ITEM_LUA = `
if redis.call('EXISTS', KEYS[1]) == 0 then return {0} end
local items = cjson.decode(redis.call('HGET', KEYS[1], 'items') or '[]')
local sku = ARGV[1]
local qty = tonumber(ARGV[2])
local found = false
for i = 1, #items do
  if items[i].sku == sku then
    items[i].qty = items[i].qty + qty
    found = true
    break
  end
end
if not found then
  if #items >= tonumber(ARGV[4]) then return {2} end
  items[#items + 1] = { sku = sku, qty = qty }
end
local encoded = cjson.encode(items)
redis.call('HSET', KEYS[1], 'items', encoded)
local version = redis.call('HINCRBY', KEYS[1], 'version', 1)
redis.call('PEXPIRE', KEYS[1], ARGV[3])
return {1, encoded, version}
`;
const ADD_ITEM_SHA = createHash('sha1').update(ADD_ITEM_LUA).digest('hex');

export interface RedisStoreOptions {
  url: string;
  ttlMs: number;
  log: Logger;
  /** A command not answered by then fails (503), e.g. while Redis is paused. */
  commandTimeoutMs?: number;
  /** Readiness pings fail after this long. */
  pingTimeoutMs?: number;
}

export class RedisSessionStore implements SessionStore {
  readonly kind = 'redis' as const;
  private readonly redis: Redis;
  private readonly ttlMs: number;
  private readonly pingTimeoutMs: number;
  private readonly log: Logger;
  private lastError: string | undefined;

  constructor(options: RedisStoreOptions) {
    this.ttlMs = options.ttlMs;
    this.pingTimeoutMs = options.pingTimeoutMs ?? 250;
    this.log = options.log;
    this.redis = new Redis(options.url, {
      // Fail fast while disconnected instead of queueing: the client gets a 503 now, and a write is
      // never replayed behind its back after a reconnect (adds are not idempotent).
      enableOfflineQueue: false,
      autoResendUnfulfilledCommands: false,
      maxRetriesPerRequest: 0,
      commandTimeout: options.commandTimeoutMs ?? 1000,
      connectTimeout: 2000,
      // Reconnect forever, at most 1 s apart, so readiness returns soon after Redis does.
      retryStrategy: (attempt: number) => Math.min(attempt * 100, 1000),
    });
    this.redis.on('error', (error: unknown) => {
      // ioredis repeats the error on every reconnect attempt; log each distinct one once.
      const message = errorMessage(error);
      if (message === this.lastError) return;
      this.lastError = message;
      this.log.warn('store_error', { store: 'redis', message });
    });
    this.redis.on('ready', () => {
      this.lastError = undefined;
    });
  }

  async create(user: string): Promise<Session> {
    const sid = newSessionId();
    const key = KEY_PREFIX + sid;
    const replies = await this.call(() =>
      this.redis.multi().hset(key, { user, version: '0', items: '[]' }).pexpire(key, this.ttlMs).exec(),
    );
    for (const [error] of replies ?? []) if (error) throw this.translate(error);
    return { sid, user, cart: { items: [], count: 0, version: 0 } };
  }

  async getCart(sid: string): Promise<Cart | undefined> {
    const [items, version] = await this.call(() => this.redis.hmget(KEY_PREFIX + sid, 'items', 'version'));
    if (items === null || items === undefined || version === null || version === undefined) return undefined;
    return toCart(items, Number(version));
  }

  async addItem(sid: string, item: CartItem): Promise<AddItemResult> {
    const args = [KEY_PREFIX + sid, item.sku, String(item.qty), String(this.ttlMs), String(MAX_CART_LINES)];
    const reply = await this.call(async () => {
      try {
        return await this.redis.evalsha(ADD_ITEM_SHA, 1, ...args);
      } catch (error) {
        // After a Redis restart (or the first time) the script cache is empty: send the source once.
        if (errorMessage(error).startsWith('NOSCRIPT')) return this.redis.eval(ADD_ITEM_LUA, 1, ...args);
        throw error;
      }
    });
    if (!Array.isArray(reply)) throw new Error(`add-item script answered ${JSON.stringify(reply)}`);
    const [status, items, version] = reply as unknown[];
    if (status === 0) return { status: 'unknown_session' };
    if (status === 2) return { status: 'cart_full' };
    if (status !== 1 || typeof items !== 'string' || typeof version !== 'number') {
      throw new Error(`add-item script answered ${JSON.stringify(reply)}`);
    }
    return { status: 'ok', cart: toCart(items, version) };
  }

  async destroy(sid: string): Promise<boolean> {
    const removed = await this.call(() => this.redis.del(KEY_PREFIX + sid));
    return removed > 0;
  }

  async ping(): Promise<void> {
    const status = this.redis.status;
    // While a connection is being set up (at start, mostly) give it the ping's time to finish, so a
    // replica whose Redis answers at once logs `ready` at once instead of `not_ready` first.
    if (status === 'wait' || status === 'connecting' || status === 'connect') await this.untilReady(this.pingTimeoutMs);
    else if (status !== 'ready') throw new StoreUnavailableError(`redis connection is ${status}`);
    await this.call(() => withTimeout(this.redis.ping(), this.pingTimeoutMs, 'redis PING'));
  }

  async close(): Promise<void> {
    try {
      await withTimeout(this.redis.quit(), 1000, 'redis QUIT');
    } catch {
      // Unreachable or slow: drop the connection without the goodbye.
    } finally {
      this.redis.disconnect();
    }
  }

  private untilReady(ms: number): Promise<void> {
    if (this.redis.status === 'ready') return Promise.resolve();
    return new Promise<void>((resolve, reject) => {
      const onReady = (): void => {
        clearTimeout(timer);
        resolve();
      };
      const timer = setTimeout(() => {
        this.redis.off('ready', onReady);
        reject(new StoreUnavailableError(`redis connection is ${this.redis.status} after ${ms} ms`));
      }, ms);
      this.redis.once('ready', onReady);
    });
  }

  private async call<T>(operation: () => Promise<T>): Promise<T> {
    try {
      return await operation();
    } catch (error) {
      throw this.translate(error);
    }
  }

  /** Connection trouble becomes StoreUnavailableError (503); anything else stays a bug (500). */
  private translate(error: unknown): Error {
    if (error instanceof StoreUnavailableError) return error;
    if (error instanceof Error && error.name === 'ReplyError') {
      // Server-side states that pass (loading a dump, busy script, failover) count as unavailable.
      if (/^(LOADING|BUSY|READONLY|MASTERDOWN|CLUSTERDOWN|TRYAGAIN|OOM)\b/.test(error.message)) {
        return new StoreUnavailableError(`redis: ${error.message}`, { cause: error });
      }
      return error;
    }
    // ioredis says "Stream isn't writeable and enableOfflineQueue options is false" when not connected.
    const message = this.redis.status === 'ready' ? errorMessage(error) : `not connected (${this.redis.status})`;
    return new StoreUnavailableError(`redis: ${message}`, { cause: error });
  }
}

function toCart(itemsJson: string, version: number): Cart {
  const parsed: unknown = JSON.parse(itemsJson);
  // cjson encodes an empty Lua table as {}; the script never writes one, but read it as no items.
  const list: unknown[] = Array.isArray(parsed) ? parsed : [];
  const items: CartItem[] = list.map((line) => {
    if (typeof line !== 'object' || line === null) throw new Error(`malformed cart line ${JSON.stringify(line)}`);
    const { sku, qty } = line as { sku?: unknown; qty?: unknown };
    if (typeof sku !== 'string' || typeof qty !== 'number') throw new Error(`malformed cart line ${JSON.stringify(line)}`);
    return { sku, qty };
  });
  if (!Number.isSafeInteger(version)) throw new Error(`malformed cart version ${String(version)}`);
  return { items, count: countItems(items), version };
}

function withTimeout<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new StoreUnavailableError(`${what} timed out after ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}
