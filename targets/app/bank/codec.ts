/**
 * JSON as the Redis stores keep it (history lines, remembered decisions), read back with checks: a
 * malformed value is a bug or foreign data, and fails loudly (500) instead of becoming a wrong balance.
 */
import type { AccountState, Decision, HistoryEvent, HistoryType, IdempotencyRecord } from './model.ts';

const HISTORY_TYPES: ReadonlySet<string> = new Set<HistoryType>(['deposit', 'withdraw', 'transfer_out', 'transfer_in']);

export function encodeHistoryEvent(event: HistoryEvent): string {
  return JSON.stringify(event);
}

export function decodeHistoryEvent(text: string): HistoryEvent {
  const value = parseObject(text, 'history event');
  const { seq, type, amount, idempotencyKey, at, counterparty } = value;
  if (!isCount(seq) || typeof type !== 'string' || !HISTORY_TYPES.has(type) || !isCount(amount) || typeof idempotencyKey !== 'string' || typeof at !== 'string') {
    throw new Error(`malformed history event ${truncate(text)}`);
  }
  if (counterparty !== undefined && typeof counterparty !== 'string') throw new Error(`malformed history event ${truncate(text)}`);
  const event: HistoryEvent = { seq, type: type as HistoryType, amount, idempotencyKey, at };
  if (counterparty !== undefined) event.counterparty = counterparty;
  return event;
}

export function encodeRecord(record: IdempotencyRecord): string {
  return JSON.stringify({ fp: record.fingerprint, decision: record.decision });
}

/** The stored form is `{"fp": …, "decision": …}`; the Redis store's Lua script writes the same shape. */
export function decodeRecord(text: string): IdempotencyRecord {
  const value = parseObject(text, 'idempotency record');
  const { fp, decision } = value;
  if (typeof fp !== 'string') throw new Error(`malformed idempotency record ${truncate(text)}`);
  return { fingerprint: fp, decision: readDecision(decision, text) };
}

function readDecision(value: unknown, text: string): Decision {
  if (typeof value !== 'object' || value === null) throw new Error(`malformed decision in ${truncate(text)}`);
  const { status, reason, balances } = value as { status?: unknown; reason?: unknown; balances?: unknown };
  if (status === 'refused' && (reason === 'insufficient_funds' || reason === 'balance_limit')) return { status, reason };
  if (status === 'applied' && Array.isArray(balances) && balances.length > 0) {
    const states: AccountState[] = balances.map((entry: unknown) => {
      const { balance, version } = (entry ?? {}) as { balance?: unknown; version?: unknown };
      if (!isCount(balance, 0) || !isCount(version)) throw new Error(`malformed balance in ${truncate(text)}`);
      return { balance, version };
    });
    return { status, balances: states };
  }
  throw new Error(`malformed decision in ${truncate(text)}`);
}

function parseObject(text: string, what: string): Record<string, unknown> {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new Error(`malformed ${what} ${truncate(text)}`);
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new Error(`malformed ${what} ${truncate(text)}`);
  return value as Record<string, unknown>;
}

function isCount(value: unknown, min = 1): value is number {
  return typeof value === 'number' && Number.isSafeInteger(value) && value >= min;
}

function truncate(text: string): string {
  return text.length > 120 ? `${text.slice(0, 120)}…` : text;
}
