import { describe, expect, it } from 'vitest';
import { decide } from './decide.ts';
import { fingerprint, MAX_BALANCE, type Command } from './model.ts';

const at = '2024-05-01T12:00:00.000Z';
const deposit = (amount: number): Command => ({ kind: 'deposit', account: 'a', amount, idempotencyKey: 'k' });
const withdraw = (amount: number): Command => ({ kind: 'withdraw', account: 'a', amount, idempotencyKey: 'k' });
const transfer = (amount: number): Command => ({ kind: 'transfer', from: 'a', to: 'b', amount, idempotencyKey: 'k' });

describe('decide', () => {
  it('applies a deposit: balance up, version +1, one event with seq = new version', () => {
    expect(decide(deposit(50), [{ balance: 10, version: 3 }], at)).toEqual({
      decision: { status: 'applied', balances: [{ balance: 60, version: 4 }] },
      events: [{ account: 'a', event: { seq: 4, type: 'deposit', amount: 50, idempotencyKey: 'k', at } }],
      next: [{ balance: 60, version: 4 }],
    });
  });

  it('withdraws down to exactly 0, and refuses one cent more, changing nothing', () => {
    expect(decide(withdraw(10), [{ balance: 10, version: 1 }], at).decision).toEqual({ status: 'applied', balances: [{ balance: 0, version: 2 }] });
    expect(decide(withdraw(11), [{ balance: 10, version: 1 }], at)).toEqual({
      decision: { status: 'refused', reason: 'insufficient_funds' },
      events: [],
      next: [{ balance: 10, version: 1 }],
    });
  });

  it('moves money between two accounts in one decision, with a leg on each', () => {
    const plan = decide(transfer(30), [{ balance: 100, version: 5 }, { balance: 0, version: 0 }], at);
    expect(plan.decision).toEqual({ status: 'applied', balances: [{ balance: 70, version: 6 }, { balance: 30, version: 1 }] });
    expect(plan.events).toEqual([
      { account: 'a', event: { seq: 6, type: 'transfer_out', amount: 30, idempotencyKey: 'k', at, counterparty: 'b' } },
      { account: 'b', event: { seq: 1, type: 'transfer_in', amount: 30, idempotencyKey: 'k', at, counterparty: 'a' } },
    ]);
    expect(decide(transfer(101), [{ balance: 100, version: 5 }, { balance: 0, version: 0 }], at).decision).toEqual({ status: 'refused', reason: 'insufficient_funds' });
  });

  it('refuses to take a balance past MAX_BALANCE', () => {
    expect(decide(deposit(2), [{ balance: MAX_BALANCE - 1, version: 1 }], at).decision).toEqual({ status: 'refused', reason: 'balance_limit' });
    expect(decide(transfer(2), [{ balance: 5, version: 1 }, { balance: MAX_BALANCE - 1, version: 1 }], at).decision).toEqual({ status: 'refused', reason: 'balance_limit' });
  });

  it('fingerprints what a repeated key must match', () => {
    expect(fingerprint(deposit(5))).toBe('deposit:a:5');
    expect(fingerprint(transfer(5))).toBe('transfer:a>b:5');
    expect(fingerprint(withdraw(5))).not.toBe(fingerprint(deposit(5)));
  });
});
