/**
 * The application's configuration, read from the environment. Parsing is pure (env in, result out)
 * so it is unit-tested; main.ts prints the problems and exits 2.
 */
import { hostname } from 'node:os';

export type StoreKind = 'memory' | 'redis' | 'event-log';
export const STORE_KINDS: readonly StoreKind[] = ['memory', 'redis', 'event-log'];

export interface AppConfig {
  /**
   * Where client state lives: process memory (stateful), Redis (stateless), or, for the bank ledger,
   * an event log in Redis with in-memory projections (event-sourced; sessions then live in Redis as
   * in the stateless placement).
   */
  store: StoreKind;
  /** Set when store is redis or event-log. */
  redisUrl: string | undefined;
  port: number;
  /** Listen address; undefined = Node's default (all interfaces). */
  host: string | undefined;
  /** Sent as X-Replica on every response and as `replica` in every log line. */
  replica: string;
  /** Budget from SIGTERM to exit, delay included; connections still open after it are cut. */
  shutdownGraceMs: number;
  /** Time between /readyz turning 503 and the listener closing, so a polling LB drains first. */
  shutdownDelayMs: number;
  /** Session lifetime in the store, renewed by each write. */
  sessionTtlSeconds: number;
  logRequests: boolean;
  /**
   * Open the port only once ready (default). HAProxy 2.6 marks a server it finds through DNS as up
   * before its first health check; a refused connection is retried elsewhere by the load balancer,
   * while a request accepted by a replica that cannot serve yet would fail the client.
   */
  listenWhenReady: boolean;
  /** event-log: write a snapshot after this many log entries since the latest one; 0 = never. */
  snapshotEveryEvents: number;
  /** event-log: write a snapshot this often when anything changed; 0 = never. */
  snapshotEveryMs: number;
}

export type ConfigResult = { ok: true; config: AppConfig } | { ok: false; errors: string[] };

export type Env = Readonly<Record<string, string | undefined>>;

export const ENV_DEFAULTS = {
  PORT: 8080,
  SHUTDOWN_GRACE_MS: 5000,
  SHUTDOWN_DELAY_MS: 0,
  SESSION_TTL_S: 3600,
  SNAPSHOT_EVERY_EVENTS: 1000,
  SNAPSHOT_EVERY_MS: 60_000,
} as const;

export function parseConfig(env: Env, defaultReplica: () => string = hostname): ConfigResult {
  const errors: string[] = [];
  const problem = (name: string, value: string | undefined, allowed: string): void => {
    errors.push(`${name}: ${value === undefined ? 'nothing' : JSON.stringify(value)} is not allowed; expected ${allowed}`);
  };

  const storeRaw = env.STATE_STORE;
  let store: StoreKind = 'memory';
  if (storeRaw === 'memory' || storeRaw === 'redis' || storeRaw === 'event-log') store = storeRaw;
  else problem('STATE_STORE', storeRaw, `one of ${STORE_KINDS.join(', ')} (required: there is no default, so a stateless replica can never fall back to memory unnoticed)`);

  let redisUrl: string | undefined;
  const redisRaw = blankToUndefined(env.REDIS_URL);
  if (store === 'redis' || store === 'event-log') {
    if (redisRaw === undefined || !isRedisUrl(redisRaw)) problem('REDIS_URL', env.REDIS_URL, `a redis:// or rediss:// URL such as redis://redis:6379 (required when STATE_STORE=${store})`);
    else redisUrl = redisRaw;
  }

  const port = intVar(env, 'PORT', ENV_DEFAULTS.PORT, 0, 65535, problem);
  const host = blankToUndefined(env.HOST);

  let replica = blankToUndefined(env.REPLICA_NAME) ?? defaultReplica();
  if (!/^[\x21-\x7e]{1,128}$/.test(replica)) {
    problem('REPLICA_NAME', env.REPLICA_NAME ?? replica, '1 to 128 printable ASCII characters without spaces (it is sent as a header)');
    replica = 'invalid';
  }

  const shutdownGraceMs = intVar(env, 'SHUTDOWN_GRACE_MS', ENV_DEFAULTS.SHUTDOWN_GRACE_MS, 0, 600_000, problem);
  const shutdownDelayMs = intVar(env, 'SHUTDOWN_DELAY_MS', ENV_DEFAULTS.SHUTDOWN_DELAY_MS, 0, 600_000, problem);
  if (shutdownDelayMs > shutdownGraceMs) {
    problem('SHUTDOWN_DELAY_MS', env.SHUTDOWN_DELAY_MS, `at most SHUTDOWN_GRACE_MS (${shutdownGraceMs})`);
  }
  const sessionTtlSeconds = intVar(env, 'SESSION_TTL_S', ENV_DEFAULTS.SESSION_TTL_S, 1, 30 * 24 * 3600, problem);

  let logRequests = false;
  const logRaw = blankToUndefined(env.LOG_REQUESTS);
  if (logRaw === '1' || logRaw === 'true') logRequests = true;
  else if (logRaw !== undefined && logRaw !== '0' && logRaw !== 'false') problem('LOG_REQUESTS', logRaw, 'one of 1, true, 0, false');

  let listenWhenReady = true;
  const listenRaw = blankToUndefined(env.LISTEN_WHEN_READY);
  if (listenRaw === '0' || listenRaw === 'false') listenWhenReady = false;
  else if (listenRaw !== undefined && listenRaw !== '1' && listenRaw !== 'true') problem('LISTEN_WHEN_READY', listenRaw, 'one of 1, true, 0, false');

  // Read whatever the store: harmless for the others, and a typo is caught before a run, not during one.
  const snapshotEveryEvents = intVar(env, 'SNAPSHOT_EVERY_EVENTS', ENV_DEFAULTS.SNAPSHOT_EVERY_EVENTS, 0, 1_000_000_000, problem);
  const snapshotEveryMs = intVar(env, 'SNAPSHOT_EVERY_MS', ENV_DEFAULTS.SNAPSHOT_EVERY_MS, 0, 7 * 24 * 3600 * 1000, problem);

  if (errors.length > 0) return { ok: false, errors };
  return {
    ok: true,
    config: {
      store,
      redisUrl,
      port,
      host,
      replica,
      shutdownGraceMs,
      shutdownDelayMs,
      sessionTtlSeconds,
      logRequests,
      listenWhenReady,
      snapshotEveryEvents,
      snapshotEveryMs,
    },
  };
}

function intVar(
  env: Env,
  name: string,
  fallback: number,
  min: number,
  max: number,
  problem: (name: string, value: string | undefined, allowed: string) => void,
): number {
  const raw = blankToUndefined(env[name]);
  if (raw === undefined) return fallback;
  const value = /^\d+$/.test(raw) ? Number(raw) : Number.NaN;
  if (!Number.isSafeInteger(value) || value < min || value > max) {
    problem(name, raw, `an integer from ${min} to ${max} (default ${fallback})`);
    return fallback;
  }
  return value;
}

function blankToUndefined(value: string | undefined): string | undefined {
  return value === undefined || value.trim() === '' ? undefined : value.trim();
}

export function isRedisUrl(value: string): boolean {
  try {
    const url = new URL(value);
    return (url.protocol === 'redis:' || url.protocol === 'rediss:') && url.hostname !== '';
  } catch {
    return false;
  }
}
