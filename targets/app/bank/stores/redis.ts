/**
 * Stateless placement of the ledger: balances and histories live in Redis, shared by every replica.
 *
 * Layout (../keys.ts): `bank:account:<id>` hash {balance, version}; `bank:history:<id>` list of
 * history events; `bank:idem:<key>` the first decision for an idempotency key, with a TTL.
 *
 * Why one Lua script per write: a command is read-check-modify on up to two accounts plus the
 * idempotency record, and must be all or nothing. A script runs atomically on the server, in one round
 * trip, so concurrent withdrawals from any number of replicas can neither lose an update nor overdraw,
 * and a retried key is answered from its record whichever replica receives it. The script mirrors
 * decide() in ../decide.ts; it builds its JSON by hand because cjson prints numbers with 14 digits.
 */
import type { Redis } from 'ioredis';
import type { Logger } from '../../log.ts';
import { closeRedis, createRedisClient, LuaScript, pingRedis, redisCall } from '../../stores/redis-connection.ts';
import type { BankStore, HistoryQuery } from '../bank-store.ts';
import { decodeHistoryEvent, decodeRecord } from '../codec.ts';
import { ACCOUNT_PREFIX, HISTORY_PREFIX, IDEMPOTENCY_PREFIX } from '../keys.ts';
import { fingerprint, IDEMPOTENCY_TTL_MS, MAX_BALANCE, type Account, type Command, type CommandResult, type HistoryEvent, type OpenResult } from '../model.ts';

// KEYS[1] account hash. Returns 1 when created, 0 when it existed.
const OPEN_LUA = `
if redis.call('EXISTS', KEYS[1]) == 1 then return 0 end
redis.call('HSET', KEYS[1], 'balance', 0, 'version', 0)
return 1
`;

// KEYS: idempotency record, account 1 hash, account 1 history [, account 2 hash, account 2 history]
// ARGV: kind (deposit | withdraw | transfer), amount, fingerprint (JSON string), idempotency key
//       (JSON string), at (JSON string), record TTL ms, max balance [, account 1 id JSON, account 2 id JSON]
// Returns {1, record} applied, {2, record} refused, {3, record} the key's earlier record,
// {4, n} account n unknown (not remembered: nothing was decided).
const COMMAND_LUA = `
local stored = redis.call('GET', KEYS[1])
if stored then return {3, stored} end
if redis.call('EXISTS', KEYS[2]) == 0 then return {4, 1} end
if #KEYS > 3 and redis.call('EXISTS', KEYS[4]) == 0 then return {4, 2} end
local kind = ARGV[1]
local amount = tonumber(ARGV[2])
local maxBalance = tonumber(ARGV[7])
local function int(n) return string.format('%d', n) end
local function remember(record)
  redis.call('SET', KEYS[1], record, 'PX', ARGV[6])
  return record
end
local function refuse(reason)
  return {2, remember('{"fp":' .. ARGV[3] .. ',"decision":{"status":"refused","reason":"' .. reason .. '"}}')}
end
local function event(seq, type, counterparty)
  local text = '{"seq":' .. int(seq) .. ',"type":"' .. type .. '","amount":' .. int(amount) .. ',"idempotencyKey":' .. ARGV[4] .. ',"at":' .. ARGV[5]
  if counterparty then text = text .. ',"counterparty":' .. counterparty end
  return text .. '}'
end
local function change(hash, history, delta, type, counterparty)
  local balance = redis.call('HINCRBY', hash, 'balance', delta)
  local version = redis.call('HINCRBY', hash, 'version', 1)
  redis.call('RPUSH', history, event(version, type, counterparty))
  return '{"balance":' .. int(balance) .. ',"version":' .. int(version) .. '}'
end
local first = tonumber(redis.call('HGET', KEYS[2], 'balance'))
local balances
if kind == 'deposit' then
  if first + amount > maxBalance then return refuse('balance_limit') end
  balances = change(KEYS[2], KEYS[3], amount, 'deposit', nil)
elseif kind == 'withdraw' then
  if first < amount then return refuse('insufficient_funds') end
  balances = change(KEYS[2], KEYS[3], -amount, 'withdraw', nil)
else
  local second = tonumber(redis.call('HGET', KEYS[4], 'balance'))
  if first < amount then return refuse('insufficient_funds') end
  if second + amount > maxBalance then return refuse('balance_limit') end
  balances = change(KEYS[2], KEYS[3], -amount, 'transfer_out', ARGV[9]) .. ',' .. change(KEYS[4], KEYS[5], amount, 'transfer_in', ARGV[8])
end
return {1, remember('{"fp":' .. ARGV[3] .. ',"decision":{"status":"applied","balances":[' .. balances .. ']}}')}
`;

const OPEN = new LuaScript(OPEN_LUA);
const COMMAND = new LuaScript(COMMAND_LUA);

export interface RedisBankOptions {
  url: string;
  log: Logger;
  commandTimeoutMs?: number;
  pingTimeoutMs?: number;
  now?: () => Date;
}

export class RedisBankStore implements BankStore {
  readonly kind = 'redis' as const;
  private readonly redis: Redis;
  private readonly pingTimeoutMs: number;
  private readonly now: () => Date;

  constructor(options: RedisBankOptions) {
    this.pingTimeoutMs = options.pingTimeoutMs ?? 250;
    this.now = options.now ?? (() => new Date());
    this.redis = createRedisClient(options.url, options.log, {
      logFields: { client: 'bank' },
      ...(options.commandTimeoutMs === undefined ? {} : { commandTimeoutMs: options.commandTimeoutMs }),
    });
  }

  start(): void {}

  async open(id: string): Promise<OpenResult> {
    const created = await OPEN.run(this.redis, [ACCOUNT_PREFIX + id], []);
    return created === 1 ? { status: 'created', account: { id, balance: 0, version: 0 } } : { status: 'exists' };
  }

  async get(id: string): Promise<Account | undefined> {
    const [balance, version] = await redisCall(this.redis, () => this.redis.hmget(ACCOUNT_PREFIX + id, 'balance', 'version'));
    if (balance === null || balance === undefined || version === null || version === undefined) return undefined;
    return { id, balance: toInteger(balance), version: toInteger(version) };
  }

  history(id: string, query: HistoryQuery = { fromSeq: 1 }): Promise<HistoryEvent[] | undefined> {
    return readHistory(this.redis, ACCOUNT_PREFIX + id, id, query);
  }

  async execute(command: Command): Promise<CommandResult> {
    const keys = [IDEMPOTENCY_PREFIX + command.idempotencyKey];
    if (command.kind === 'transfer') keys.push(ACCOUNT_PREFIX + command.from, HISTORY_PREFIX + command.from, ACCOUNT_PREFIX + command.to, HISTORY_PREFIX + command.to);
    else keys.push(ACCOUNT_PREFIX + command.account, HISTORY_PREFIX + command.account);
    const fp = fingerprint(command);
    const args: (string | number)[] = [
      command.kind,
      command.amount,
      JSON.stringify(fp),
      JSON.stringify(command.idempotencyKey),
      JSON.stringify(this.now().toISOString()),
      IDEMPOTENCY_TTL_MS,
      MAX_BALANCE,
    ];
    if (command.kind === 'transfer') args.push(JSON.stringify(command.from), JSON.stringify(command.to));

    const reply = await COMMAND.run(this.redis, keys, args);
    if (!Array.isArray(reply)) throw new Error(`bank command script answered ${JSON.stringify(reply)}`);
    const [status, payload] = reply as unknown[];
    if (status === 4) {
      const account = command.kind === 'transfer' ? (payload === 2 ? command.to : command.from) : command.account;
      return { status: 'account_unknown', account };
    }
    if ((status !== 1 && status !== 2 && status !== 3) || typeof payload !== 'string') {
      throw new Error(`bank command script answered ${JSON.stringify(reply)}`);
    }
    const record = decodeRecord(payload);
    if (status === 3 && record.fingerprint !== fp) return { status: 'key_reused' };
    return { status: 'decided', decision: record.decision, replayed: status === 3 };
  }

  ping(): Promise<void> {
    return pingRedis(this.redis, this.pingTimeoutMs);
  }

  close(): Promise<void> {
    return closeRedis(this.redis);
  }
}

/**
 * An account's history from its Redis list, or undefined when `existenceKey` (the key that says the
 * account exists) is absent; one MULTI, so both answers describe the same moment.
 */
export async function readHistory(redis: Redis, existenceKey: string, id: string, query: HistoryQuery): Promise<HistoryEvent[] | undefined> {
  const replies = await redisCall(redis, () =>
    redis
      .multi()
      .exists(existenceKey)
      .lrange(HISTORY_PREFIX + id, Math.max(0, query.fromSeq - 1), -1)
      .exec(),
  );
  const [exists, lines] = (replies ?? []).map(([error, value]) => {
    if (error) throw error;
    return value;
  });
  if (exists !== 1) return undefined;
  if (!Array.isArray(lines)) throw new Error(`LRANGE answered ${JSON.stringify(lines)}`);
  return lines.map((line: unknown) => decodeHistoryEvent(String(line)));
}

function toInteger(text: string): number {
  const value = Number(text);
  if (!Number.isSafeInteger(value)) throw new Error(`malformed integer ${JSON.stringify(text)} in Redis`);
  return value;
}
