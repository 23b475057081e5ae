import type { AppConfig } from '../config.ts';
import type { Logger } from '../log.ts';
import { MemorySessionStore } from './memory-store.ts';
import { RedisSessionStore } from './redis-store.ts';
import type { SessionStore } from './session-store.ts';

export function createSessionStore(config: AppConfig, log: Logger): SessionStore {
  const ttlMs = config.sessionTtlSeconds * 1000;
  switch (config.store) {
    case 'memory':
      return new MemorySessionStore({ ttlMs });
    case 'redis':
    // Event-sourced placement: the log is for the bank ledger; sessions live in Redis as in the stateless one.
    case 'event-log':
      if (config.redisUrl === undefined) throw new Error(`REDIS_URL is required when STATE_STORE=${config.store}`);
      return new RedisSessionStore({ url: config.redisUrl, ttlMs, log });
  }
}
