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
import type { Redis } from 'ioredis';
import type { Logger } from '../log.ts';
import { closeRedis, createRedisClient, LuaScript, pingRedis, redisCall, translateRedisError } from './redis-connection.ts';
import {
  MAX_CART_LINES,
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
const ADD_ITEM = new LuaScript(ADD_ITEM_LUA);

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

  constructor(options: RedisStoreOptions) {
    this.ttlMs = options.ttlMs;
    this.pingTimeoutMs = options.pingTimeoutMs ?? 250;
    this.redis = createRedisClient(options.url, options.log, options.commandTimeoutMs === undefined ? {} : { commandTimeoutMs: options.commandTimeoutMs });
  }

  async create(user: string): Promise<Session> {
    const sid = newSessionId();
    const key = KEY_PREFIX + sid;
    const replies = await this.call(() =>
      this.redis.multi().hset(key, { user, version: '0', items: '[]' }).pexpire(key, this.ttlMs).exec(),
    );
    for (const [error] of replies ?? []) if (error) throw translateRedisError(this.redis, error);
    return { sid, user, cart: { items: [], count: 0, version: 0 } };
  }

  async getCart(sid: string): Promise<Cart | undefined> {
    const [items, version] = await this.call(() => this.redis.hmget(KEY_PREFIX + sid, 'items', 'version'));
    if (items === null || items === undefined || version === null || version === undefined) return undefined;
    return toCart(items, Number(version));
  }

  async addItem(sid: string, item: CartItem): Promise<AddItemResult> {
    const reply = await ADD_ITEM.run(this.redis, [KEY_PREFIX + sid], [item.sku, String(item.qty), String(this.ttlMs), String(MAX_CART_LINES)]);
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

  ping(): Promise<void> {
    return pingRedis(this.redis, this.pingTimeoutMs);
  }

  close(): Promise<void> {
    return closeRedis(this.redis);
  }

  private call<T>(operation: () => Promise<T>): Promise<T> {
    return redisCall(this.redis, operation);
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
