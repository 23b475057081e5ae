/**
 * Seeds the event log with a long history before an event-sourced cluster starts: one account opened,
 * then `deposits` deposits of `amount` — standing for, say, a day of transactions — so that what a
 * replica pays to replay the log after a restart can be measured. Used by the `seed-ledger` command
 * (seed-command.ts) and by the replay tests.
 *
 * The entries are the event-log store's own: the same stream entry, version key and history lines
 * its append script writes (encodeLogEvent, encodeHistoryEvent, keys.ts), so a replica replaying the
 * log and the history endpoint see an ordinary account: balance deposits × amount, version and
 * history seq 1..deposits without gaps. No idempotency records are written (the keys `seed-<seq>`
 * were never sent by a client).
 *
 * Fast and gentle: a Lua loop inside Redis builds the entries from templates (about a second per few
 * hundred thousand), in chunks of at most `chunkSize` per script, so Redis answers other clients
 * between chunks instead of being blocked for the whole history. Each chunk is atomic and leaves the
 * account consistent (the version key moves with it), so a seed cut short leaves a shorter but valid
 * history. The first chunk refuses an account that exists already (a second seed of the same Redis)
 * and every later one refuses an account another writer moved on, instead of interleaving seqs.
 */
import { Redis } from 'ioredis';
import { closeRedis, LuaScript, untilReady } from '../stores/redis-connection.ts';
import { encodeHistoryEvent } from './codec.ts';
import { HISTORY_PREFIX, STREAM_KEY, VERSION_PREFIX } from './keys.ts';
import { encodeLogEvent, EVENT_FIELD } from './log-events.ts';
import { ACCOUNT_ID_PATTERN, MAX_AMOUNT, MAX_BALANCE, MAX_SEED_DEPOSITS } from './model.ts';

export { MAX_SEED_DEPOSITS };

/**
 * The account the `seed-ledger` command fills. The k6 bank workload opens `r<run tag>-a<n>` and
 * POST /accounts without an id makes `acc-…`, so neither can take it.
 */
export const SEED_ACCOUNT = 'seed-history';
/** Entries per script: at a few hundred thousand per second, Redis is busy for a fraction of a second at a time. */
export const DEFAULT_SEED_CHUNK = 50_000;
/** Values per RPUSH inside the script: unpack() is limited by Lua's C stack (8000). */
const RPUSH_BATCH = 1000;

/**
 * Stands for the seq (and the idempotency key's number) in the templates. Above MAX_AMOUNT, so an
 * amount cannot look like it; the template is checked to hold it exactly where expected.
 */
const SEQ_MARK = Number.MAX_SAFE_INTEGER;

// KEYS: stream, version key, history list.
// ARGV: expected version ('' for the first chunk: the account must not exist; the `opened` entry goes
//       first), first seq, count, event template in 3 parts, history line template in 3 parts,
//       `opened` entry. Each template is part1 .. seq .. part2 .. seq .. part3.
// Returns {1, last seq}, {2, version or ''} the account existed, {3, version or ''} it moved on.
const SEED_LUA = `
local version = redis.call('GET', KEYS[2])
if ARGV[1] == '' then
  if version or redis.call('EXISTS', KEYS[3]) == 1 then return {2, version or ''} end
  redis.call('XADD', KEYS[1], '*', '${EVENT_FIELD}', ARGV[10])
elseif version ~= ARGV[1] then
  return {3, version or ''}
end
local first = tonumber(ARGV[2])
local last = first + tonumber(ARGV[3]) - 1
local lines = {}
for seq = first, last do
  local s = string.format('%d', seq)
  redis.call('XADD', KEYS[1], '*', '${EVENT_FIELD}', ARGV[4] .. s .. ARGV[5] .. s .. ARGV[6])
  lines[#lines + 1] = ARGV[7] .. s .. ARGV[8] .. s .. ARGV[9]
  if #lines == ${RPUSH_BATCH} then
    redis.call('RPUSH', KEYS[3], unpack(lines))
    lines = {}
  end
end
if #lines > 0 then redis.call('RPUSH', KEYS[3], unpack(lines)) end
redis.call('SET', KEYS[2], string.format('%d', last))
return {1, last}
`;

const SEED = new LuaScript(SEED_LUA);

/** The account existed before the seed began, or another writer moved it on during the seed. */
export class SeedRefusedError extends Error {
  constructor(
    message: string,
    readonly reason: 'account_exists' | 'account_moved',
  ) {
    super(message);
    this.name = 'SeedRefusedError';
  }
}

export interface SeedOptions {
  account?: string;
  deposits: number;
  amount: number;
  /** Deposits per script (default DEFAULT_SEED_CHUNK). */
  chunkSize?: number;
  /** How long to wait for the connection before failing (default 10 s). */
  connectWaitMs?: number;
  now?: () => Date;
  /** Called after each chunk with the entries appended so far (what a failure leaves behind). */
  onChunk?: (appended: number) => void;
}

export interface SeedResult {
  account: string;
  /** Log entries appended: the opening plus the deposits. */
  events: number;
  deposits: number;
  chunks: number;
}

/** The problem with the options, or undefined; seedLedger throws it. */
export function seedOptionsProblem(options: SeedOptions): string | undefined {
  const { account = SEED_ACCOUNT, deposits, amount, chunkSize = DEFAULT_SEED_CHUNK } = options;
  if (!ACCOUNT_ID_PATTERN.test(account)) return `account ${JSON.stringify(account)} does not match ${String(ACCOUNT_ID_PATTERN)}`;
  if (!Number.isSafeInteger(deposits) || deposits < 1 || deposits > MAX_SEED_DEPOSITS) return `deposits ${deposits} is not an integer from 1 to ${MAX_SEED_DEPOSITS}`;
  if (!Number.isSafeInteger(amount) || amount < 1 || amount > MAX_AMOUNT) return `amount ${amount} is not an integer from 1 to ${MAX_AMOUNT}`;
  if (deposits * amount > MAX_BALANCE) return `deposits × amount (${deposits * amount}) is above the balance limit ${MAX_BALANCE}`;
  if (!Number.isSafeInteger(chunkSize) || chunkSize < 1) return `chunkSize ${chunkSize} is not a positive integer`;
  return undefined;
}

/**
 * Appends the history on the given client (it waits for its connection, and leaves it open). Throws
 * SeedRefusedError when the account exists, StoreUnavailableError or a ReplyError when Redis fails.
 */
export async function seedLedger(redis: Redis, options: SeedOptions): Promise<SeedResult> {
  const problem = seedOptionsProblem(options);
  if (problem !== undefined) throw new RangeError(problem);
  const { account = SEED_ACCOUNT, deposits, amount, chunkSize = DEFAULT_SEED_CHUNK, connectWaitMs = 10_000 } = options;
  const now = options.now ?? (() => new Date());
  await untilReady(redis, connectWaitMs);

  const keys = [STREAM_KEY, VERSION_PREFIX + account, HISTORY_PREFIX + account];
  let appended = 0;
  let chunks = 0;
  for (let first = 1; first <= deposits; first += chunkSize) {
    const count = Math.min(chunkSize, deposits - first + 1);
    // One time per chunk: the entries are built from one template.
    const at = now().toISOString();
    const key = `seed-${SEQ_MARK}`;
    const event = templateParts(encodeLogEvent({ type: 'deposit', account, amount, seq: SEQ_MARK, key, at }));
    const line = templateParts(encodeHistoryEvent({ seq: SEQ_MARK, type: 'deposit', amount, idempotencyKey: key, at }));
    const opened = encodeLogEvent({ type: 'opened', account, at });
    const expected = first === 1 ? '' : String(first - 1);
    const reply = await SEED.run(redis, keys, [expected, String(first), String(count), ...event, ...line, opened]);
    const [status, value] = Array.isArray(reply) ? (reply as unknown[]) : [];
    if (status === 2) {
      throw new SeedRefusedError(
        `account ${account} exists already (version ${String(value) || 'none, but it has a history'}): this Redis was seeded before; refusing to append a second history to it`,
        'account_exists',
      );
    }
    if (status === 3) {
      throw new SeedRefusedError(
        `account ${account} moved on to version ${String(value) || 'none'} while being seeded (expected ${expected}): another writer is using it; stopped`,
        'account_moved',
      );
    }
    if (status !== 1 || value !== first + count - 1) throw new Error(`seed script answered ${JSON.stringify(reply)}`);
    appended += count + (first === 1 ? 1 : 0);
    chunks += 1;
    options.onChunk?.(appended);
  }
  return { account, events: appended, deposits, chunks };
}

/** seedLedger on a connection of its own to url, closed afterwards. */
export async function seedLedgerAt(url: string, options: SeedOptions): Promise<SeedResult> {
  const redis = new Redis(url, {
    // Nothing queued while disconnected, nothing resent after a reconnect: a chunk runs once or fails.
    enableOfflineQueue: false,
    autoResendUnfulfilledCommands: false,
    maxRetriesPerRequest: 0,
    // A chunk may keep a slow Redis busy for a while; a Redis that stopped answering fails the seed.
    commandTimeout: 60_000,
    connectTimeout: 2000,
    retryStrategy: (attempt: number) => Math.min(attempt * 100, 1000),
  });
  // Connection errors surface as the failure of untilReady or of a chunk; the event would otherwise be unhandled.
  redis.on('error', () => {});
  try {
    return await seedLedger(redis, options);
  } finally {
    await closeRedis(redis);
  }
}

/** Splits an encoded template at the two places the seq goes (the seq, then the key's number). */
function templateParts(encoded: string): [string, string, string] {
  const parts = encoded.split(String(SEQ_MARK));
  if (parts.length !== 3) throw new Error(`seed template holds the seq mark ${parts.length - 1} times, not 2: ${encoded}`);
  return parts as [string, string, string];
}
