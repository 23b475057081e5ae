import { describe, expect, it } from 'vitest';
import { bankConfig } from './bank-config.ts';
import { answeredBalances, classify, idempotencyKey, pickOperation, receiptsFor, requestBody, requestPath, retryDelayS, type Operation } from './bank-ops.ts';

/** A deterministic random: the given values in turn. */
const sequence = (...values: number[]) => {
  let i = 0;
  return (): number => values[i++ % values.length] ?? 0;
};

describe('pickOperation', () => {
  const accounts = ['a', 'b', 'c'];

  it('draws deposits, withdrawals and transfers in a 40/30/30 mix, amounts 1..max', () => {
    expect(pickOperation(accounts, 100, sequence(0.5, 0.1, 0.0))).toEqual({ kind: 'deposit', account: 'a', amount: 51 });
    expect(pickOperation(accounts, 100, sequence(0, 0.5, 0.99))).toEqual({ kind: 'withdraw', account: 'c', amount: 1 });
    expect(pickOperation(accounts, 100, sequence(0.999, 0.8, 0.4, 0.9))).toEqual({ kind: 'transfer', from: 'b', to: 'a', amount: 100 });
  });

  it('never transfers to the same account, and stays in range over many draws', () => {
    const kinds = new Map<string, number>();
    for (let i = 0; i < 5000; i += 1) {
      const op = pickOperation(accounts, 10, Math.random);
      kinds.set(op.kind, (kinds.get(op.kind) ?? 0) + 1);
      expect(op.amount).toBeGreaterThanOrEqual(1);
      expect(op.amount).toBeLessThanOrEqual(10);
      if (op.kind === 'transfer') {
        expect(op.from).not.toBe(op.to);
        expect(accounts).toContain(op.to);
      }
    }
    expect(kinds.get('deposit')).toBeGreaterThan(1700);
    expect(kinds.get('transfer')).toBeGreaterThan(1200);
  });

  it('needs two accounts', () => {
    expect(() => pickOperation(['a'], 10, Math.random)).toThrow('at least two accounts');
  });
});

describe('requests', () => {
  it('builds the contract paths and bodies', () => {
    expect(requestPath({ kind: 'deposit', account: 'a b', amount: 1 })).toBe('/accounts/a%20b/deposit');
    expect(requestPath({ kind: 'transfer', from: 'a', to: 'b', amount: 1 })).toBe('/transfers');
    expect(requestBody({ kind: 'withdraw', account: 'a', amount: 5 }, 'k')).toEqual({ amount: 5, idempotencyKey: 'k' });
    expect(requestBody({ kind: 'transfer', from: 'a', to: 'b', amount: 5 }, 'k')).toEqual({ from: 'a', to: 'b', amount: 5, idempotencyKey: 'k' });
    expect(idempotencyKey('r1', 3, 17)).toBe('r1-3-17');
  });

  it('backs off 0.1, 0.2, 0.4 … at most 1 s between resends', () => {
    expect([1, 2, 3, 4, 5, 9].map(retryDelayS)).toEqual([0.1, 0.2, 0.4, 0.8, 1, 1]);
  });
});

describe('classify', () => {
  it('tells confirmed, refused, unknown, account_unknown and rejected apart', () => {
    expect(classify(200, { balance: 1, version: 1 })).toBe('confirmed');
    expect(classify(409, { error: 'insufficient_funds' })).toBe('refused');
    expect(classify(409, { error: 'balance_limit' })).toBe('refused');
    expect(classify(0, undefined)).toBe('unknown');
    expect(classify(502, '<html>')).toBe('unknown');
    expect(classify(503, { error: 'write_conflict' })).toBe('unknown');
    expect(classify(404, { error: 'account_unknown' })).toBe('account_unknown');
    expect(classify(404, { error: 'not_found' })).toBe('rejected');
    expect(classify(422, { error: 'idempotency_key_reused' })).toBe('rejected');
    expect(classify(409, { error: 'account_exists' })).toBe('rejected');
  });
});

describe('receipts', () => {
  const deposit: Operation = { kind: 'deposit', account: 'a', amount: 5 };
  const transfer: Operation = { kind: 'transfer', from: 'a', to: 'b', amount: 7 };

  it('records the seq the server answered, one receipt per account', () => {
    expect(receiptsFor(deposit, 'k1', { balance: 5, version: 3 })).toEqual([{ account: 'a', seq: 3, type: 'deposit', amount: 5, idempotencyKey: 'k1' }]);
    expect(receiptsFor(transfer, 'k2', { from: { balance: 1, version: 4 }, to: { balance: 7, version: 1 } })).toEqual([
      { account: 'a', seq: 4, type: 'transfer_out', amount: 7, idempotencyKey: 'k2' },
      { account: 'b', seq: 1, type: 'transfer_in', amount: 7, idempotencyKey: 'k2' },
    ]);
    expect(receiptsFor(deposit, 'k', { balance: '5' })).toBeUndefined();
    expect(answeredBalances(transfer, { from: { balance: -1, version: 4 }, to: { balance: 7, version: 1 } })).toEqual([-1, 7]);
  });
});

describe('bankConfig', () => {
  it('has defaults and refuses bad values naming the variable', () => {
    expect(bankConfig({})).toEqual({ accounts: 20, maxAmount: 10_000, retries: 3, auditEvery: 50 });
    expect(bankConfig({ BANK_ACCOUNTS: '5', BANK_MAX_AMOUNT: '100', BANK_RETRIES: '0', BANK_AUDIT_EVERY: '0' })).toEqual({ accounts: 5, maxAmount: 100, retries: 0, auditEvery: 0 });
    expect(() => bankConfig({ BANK_ACCOUNTS: '1' })).toThrow('BANK_ACCOUNTS: "1" is not allowed; expected a whole number ≥ 2');
    expect(() => bankConfig({ BANK_RETRIES: '-1' })).toThrow('BANK_RETRIES: "-1" is not allowed; expected a whole number from 0 to 20');
    expect(() => bankConfig({ BANK_MAX_AMOUNT: '2000000000' })).toThrow(/BANK_MAX_AMOUNT/);
  });
});

describe('judgeConservation', () => {
  it('holds when the balances equal what was confirmed, within what stayed unknown', async () => {
    const { judgeConservation } = await import('./bank-conservation.ts');
    const base = { deposited: 1000, withdrawn: 300, unknownDeposited: 0, unknownWithdrawn: 0 };
    expect(judgeConservation({ ...base, observed: 700 })).toMatchObject({ holds: true, confirmed: 700, lostCents: 0, createdCents: 0 });
    expect(judgeConservation({ ...base, unknownDeposited: 50, unknownWithdrawn: 20, observed: 750 })).toMatchObject({ holds: true, low: 680, high: 750 });
    expect(judgeConservation({ ...base, unknownWithdrawn: 20, observed: 600 })).toMatchObject({ holds: false, lostCents: 80 });
    expect(judgeConservation({ ...base, observed: 705 })).toMatchObject({ holds: false, createdCents: 5 });
  });
});
