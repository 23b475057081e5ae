/**
 * The event log's entries (event-log store): one stream entry per change, field `event` holding
 * JSON. A transfer is one entry naming both accounts, so replay can never see half of one.
 * `seq` fields carry each account's version after the change: they make applying an entry
 * idempotent per account and let the projection notice a gap.
 */
import type { Plan } from './decide.ts';
import type { Command } from './model.ts';

export const EVENT_FIELD = 'event';

export type LogEvent =
  | { type: 'opened'; account: string; at: string }
  | { type: 'deposit' | 'withdraw'; account: string; amount: number; seq: number; key: string; at: string }
  | { type: 'transfer'; from: string; to: string; amount: number; fromSeq: number; toSeq: number; key: string; at: string };

/** One account's part of an entry: its balance moves by delta and its version becomes seq. */
export interface Leg {
  account: string;
  seq: number;
  delta: number;
}

export function encodeLogEvent(event: LogEvent): string {
  return JSON.stringify(event);
}

export function decodeLogEvent(text: string): LogEvent {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new Error(`malformed log event ${text.slice(0, 120)}`);
  }
  const e = (typeof value === 'object' && value !== null ? value : {}) as Record<string, unknown>;
  const str = (v: unknown): v is string => typeof v === 'string' && v.length > 0;
  const int = (v: unknown): v is number => typeof v === 'number' && Number.isSafeInteger(v) && v > 0;
  if (e.type === 'opened' && str(e.account) && str(e.at)) return { type: 'opened', account: e.account, at: e.at };
  if ((e.type === 'deposit' || e.type === 'withdraw') && str(e.account) && int(e.amount) && int(e.seq) && str(e.key) && str(e.at)) {
    return { type: e.type, account: e.account, amount: e.amount, seq: e.seq, key: e.key, at: e.at };
  }
  if (e.type === 'transfer' && str(e.from) && str(e.to) && int(e.amount) && int(e.fromSeq) && int(e.toSeq) && str(e.key) && str(e.at)) {
    return { type: 'transfer', from: e.from, to: e.to, amount: e.amount, fromSeq: e.fromSeq, toSeq: e.toSeq, key: e.key, at: e.at };
  }
  throw new Error(`malformed log event ${text.slice(0, 120)}`);
}

/** The entry an applied plan appends; undefined for a refusal (a refusal changes nothing: no event). */
export function logEventFor(command: Command, plan: Plan, at: string): LogEvent | undefined {
  if (plan.decision.status !== 'applied') return undefined;
  const [first, second] = plan.next;
  if (first === undefined) return undefined;
  if (command.kind === 'transfer') {
    if (second === undefined) return undefined;
    return { type: 'transfer', from: command.from, to: command.to, amount: command.amount, fromSeq: first.version, toSeq: second.version, key: command.idempotencyKey, at };
  }
  return { type: command.kind, account: command.account, amount: command.amount, seq: first.version, key: command.idempotencyKey, at };
}

export function legsOf(event: LogEvent): Leg[] {
  switch (event.type) {
    case 'opened':
      return [];
    case 'deposit':
      return [{ account: event.account, seq: event.seq, delta: event.amount }];
    case 'withdraw':
      return [{ account: event.account, seq: event.seq, delta: -event.amount }];
    case 'transfer':
      return [
        { account: event.from, seq: event.fromSeq, delta: -event.amount },
        { account: event.to, seq: event.toSeq, delta: event.amount },
      ];
  }
}
