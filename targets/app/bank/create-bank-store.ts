import type { AppConfig } from '../config.ts';
import type { Logger } from '../log.ts';
import type { BankStore } from './bank-store.ts';
import { EventLogBankStore } from './stores/event-log.ts';
import { MemoryBankStore } from './stores/memory.ts';
import { RedisBankStore } from './stores/redis.ts';

/** The ledger's placement follows STATE_STORE, like the sessions'. */
export function createBankStore(config: AppConfig, log: Logger): BankStore {
  switch (config.store) {
    case 'memory':
      return new MemoryBankStore();
    case 'redis':
      if (config.redisUrl === undefined) throw new Error('REDIS_URL is required when STATE_STORE=redis');
      return new RedisBankStore({ url: config.redisUrl, log });
    case 'event-log':
      if (config.redisUrl === undefined) throw new Error('REDIS_URL is required when STATE_STORE=event-log');
      return new EventLogBankStore({
        url: config.redisUrl,
        log,
        replica: config.replica,
        snapshots: { everyEvents: config.snapshotEveryEvents, everyMs: config.snapshotEveryMs },
      });
  }
}
