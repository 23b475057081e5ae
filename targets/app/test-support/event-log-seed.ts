/**
 * Fills a Redis with a long event log quickly, for replay tests: one account opened, then `deposits`
 * deposits of `amount`, written by one Lua loop inside Redis (hundreds of thousands of entries in a
 * second). The entries are the store's own encoding (encodeLogEvent), with the seq and key filled in
 * by the loop, and the version key and history index are written alongside, as the store would.
 */
import { Redis } from 'ioredis';
import { encodeHistoryEvent } from '../bank/codec.ts';
import { HISTORY_PREFIX, STREAM_KEY, VERSION_PREFIX } from '../bank/keys.ts';
import { encodeLogEvent, EVENT_FIELD } from '../bank/log-events.ts';

const SEQ_MARK = 987654321;
const KEY_MARK = 'SEEDKEYMARK';

const SEED_LUA = `
local n = tonumber(ARGV[3])
redis.call('XADD', KEYS[1], '*', '${EVENT_FIELD}', ARGV[4])
for i = 1, n do
  local seq = string.format('%d', i)
  -- gsub returns (string, count): the parentheses keep only the string.
  local event = (string.gsub((string.gsub(ARGV[1], '${SEQ_MARK}', seq)), '${KEY_MARK}', seq))
  local line = (string.gsub((string.gsub(ARGV[2], '${SEQ_MARK}', seq)), '${KEY_MARK}', seq))
  redis.call('XADD', KEYS[1], '*', '${EVENT_FIELD}', event)
  redis.call('RPUSH', KEYS[3], line)
end
redis.call('SET', KEYS[2], string.format('%d', n))
return n + 1
`;

/** Returns the number of entries appended (deposits + 1 for the opening). */
export async function seedEventLog(url: string, account: string, deposits: number, amount: number): Promise<number> {
  const at = new Date().toISOString();
  const key = `seed-${KEY_MARK}`;
  const event = encodeLogEvent({ type: 'deposit', account, amount, seq: SEQ_MARK, key, at });
  const line = encodeHistoryEvent({ seq: SEQ_MARK, type: 'deposit', amount, idempotencyKey: key, at });
  const opened = encodeLogEvent({ type: 'opened', account, at });
  const redis = new Redis(url);
  try {
    const appended = await redis.eval(SEED_LUA, 3, STREAM_KEY, VERSION_PREFIX + account, HISTORY_PREFIX + account, event, line, String(deposits), opened);
    return Number(appended);
  } finally {
    redis.disconnect();
  }
}
