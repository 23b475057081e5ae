/**
 * The ledger's rules as one pure function: a command and the current state of the accounts it names
 * give a decision, the history events to append and the accounts' next state. The memory store and
 * the event-log store both decide with it; the Redis store's Lua script mirrors it (the shared
 * contract tests hold all three to the same answers).
 */
import { MAX_BALANCE, type AccountState, type Command, type Decision, type HistoryEvent } from './model.ts';

export interface Plan {
  decision: Decision;
  /** Per account of the command (same order): the event it gets, absent when refused. */
  events: { account: string; event: HistoryEvent }[];
  /** Per account of the command (same order): its state after the plan. */
  next: AccountState[];
}

/** `current` holds the state of accountsOf(command), in that order. */
export function decide(command: Command, current: readonly AccountState[], at: string): Plan {
  const first = current[0];
  if (first === undefined) throw new Error('decide needs the state of every account the command names');
  const { amount, idempotencyKey } = command;
  const unchanged = current.map((state) => ({ ...state }));
  const refuse = (reason: 'insufficient_funds' | 'balance_limit'): Plan => ({ decision: { status: 'refused', reason }, events: [], next: unchanged });

  switch (command.kind) {
    case 'deposit': {
      if (first.balance + amount > MAX_BALANCE) return refuse('balance_limit');
      const next = { balance: first.balance + amount, version: first.version + 1 };
      return {
        decision: { status: 'applied', balances: [next] },
        events: [{ account: command.account, event: { seq: next.version, type: 'deposit', amount, idempotencyKey, at } }],
        next: [next],
      };
    }
    case 'withdraw': {
      if (first.balance < amount) return refuse('insufficient_funds');
      const next = { balance: first.balance - amount, version: first.version + 1 };
      return {
        decision: { status: 'applied', balances: [next] },
        events: [{ account: command.account, event: { seq: next.version, type: 'withdraw', amount, idempotencyKey, at } }],
        next: [next],
      };
    }
    case 'transfer': {
      const second = current[1];
      if (second === undefined) throw new Error('a transfer needs the state of both accounts');
      if (command.from === command.to) throw new Error('a transfer needs two different accounts');
      if (first.balance < amount) return refuse('insufficient_funds');
      if (second.balance + amount > MAX_BALANCE) return refuse('balance_limit');
      const from = { balance: first.balance - amount, version: first.version + 1 };
      const to = { balance: second.balance + amount, version: second.version + 1 };
      return {
        decision: { status: 'applied', balances: [from, to] },
        events: [
          { account: command.from, event: { seq: from.version, type: 'transfer_out', amount, idempotencyKey, at, counterparty: command.to } },
          { account: command.to, event: { seq: to.version, type: 'transfer_in', amount, idempotencyKey, at, counterparty: command.from } },
        ],
        next: [from, to],
      };
    }
  }
}
