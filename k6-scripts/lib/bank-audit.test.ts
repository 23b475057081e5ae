import { describe, expect, it } from 'vitest';
import { auditAccount, auditTransfers, checkReceipts, readHistory, totals, type HistoryLine } from './bank-audit.ts';
import type { Receipt } from './bank-ops.ts';

const ev = (seq: number, type: string, amount: number, key: string, counterparty?: string): HistoryLine =>
  counterparty === undefined ? { seq, type, amount, idempotencyKey: key } : { seq, type, amount, idempotencyKey: key, counterparty };
const answer = (balance: number, version: number) => ({ status: 200, body: { id: 'x', balance, version } });
const history = (...events: HistoryLine[]) => ({ status: 200, body: { events: events.map((e) => ({ ...e, at: '2024-01-01T00:00:00.000Z' })) } });

describe('auditAccount', () => {
  it('accepts a balance that equals its history, and sums the flows', () => {
    const audit = auditAccount('a', answer(55, 4), history(ev(1, 'deposit', 100, 'k1'), ev(2, 'withdraw', 30, 'k2'), ev(3, 'transfer_out', 20, 'k3', 'b'), ev(4, 'transfer_in', 5, 'k4', 'b')));
    expect(audit).toMatchObject({ state: 'ok', balance: 55, deposited: 100, withdrawn: 30, transferredIn: 5, transferredOut: 20, violations: [] });
    expect(audit.legs).toEqual([
      { key: 'k3', account: 'a', counterparty: 'b', direction: 'out', amount: 20 },
      { key: 'k4', account: 'a', counterparty: 'b', direction: 'in', amount: 5 },
    ]);
  });

  it('reports a gap as lost, a repeated seq or key as duplicated', () => {
    const gap = auditAccount('a', answer(10, 3), history(ev(1, 'deposit', 5, 'k1'), ev(3, 'deposit', 5, 'k3')));
    expect(gap.violations).toContainEqual(expect.objectContaining({ kind: 'lost', reason: 'seq_gap', count: 1 }));
    const twice = auditAccount('a', answer(10, 2), history(ev(1, 'deposit', 5, 'k1'), ev(2, 'deposit', 5, 'k1')));
    expect(twice.violations).toEqual([expect.objectContaining({ kind: 'duplicated', reason: 'key_repeated', count: 1 })]);
    const seqTwice = auditAccount('a', answer(10, 2), history(ev(1, 'deposit', 5, 'k1'), ev(1, 'deposit', 5, 'k2')));
    expect(seqTwice.violations.map((v) => v.reason)).toEqual(expect.arrayContaining(['seq_repeated', 'seq_gap']));
  });

  it('reports a balance that is not its history, a version that is not its length, and overdrafts', () => {
    expect(auditAccount('a', answer(99, 1), history(ev(1, 'deposit', 5, 'k1'))).violations).toEqual([
      expect.objectContaining({ kind: 'conservation', reason: 'balance_mismatch', detail: 'balance 99 but the history adds up to 5' }),
    ]);
    expect(auditAccount('a', answer(5, 2), history(ev(1, 'deposit', 5, 'k1'))).violations.map((v) => v.reason)).toEqual(['seq_gap', 'version_mismatch']);
    expect(auditAccount('a', answer(-5, 1), history(ev(1, 'withdraw', 5, 'k1'))).violations.map((v) => v.reason)).toEqual(['overdraft', 'overdraft']);
  });

  it('an unknown account is a conservation violation; an unreadable one is only unreadable', () => {
    expect(auditAccount('a', { status: 404, body: { error: 'account_unknown' } }, { status: 0, body: undefined })).toMatchObject({
      state: 'unknown',
      violations: [{ kind: 'conservation', reason: 'account_unknown', account: 'a' }],
    });
    expect(auditAccount('a', { status: 503, body: undefined }, { status: 0, body: undefined })).toMatchObject({ state: 'unreadable', violations: [] });
    expect(auditAccount('a', answer(0, 0), { status: 200, body: { events: 'no' } })).toMatchObject({ state: 'unreadable' });
  });
});

describe('auditTransfers', () => {
  const withLegs = (id: string, ...events: HistoryLine[]) => {
    let balance = 1000;
    for (const e of events) balance += e.type === 'transfer_in' || e.type === 'deposit' ? e.amount : -e.amount;
    return auditAccount(id, answer(balance, events.length + 1), history(ev(1, 'deposit', 1000, `d-${id}`), ...events));
  };

  it('accepts matching legs', () => {
    expect(auditTransfers([withLegs('a', ev(2, 'transfer_out', 5, 't1', 'b')), withLegs('b', ev(2, 'transfer_in', 5, 't1', 'a'))])).toEqual([]);
  });

  it('reports a missing leg as lost, a repeated leg as duplicated, disagreeing legs as conservation', () => {
    expect(auditTransfers([withLegs('a', ev(2, 'transfer_out', 5, 't1', 'b')), withLegs('b')])).toEqual([
      expect.objectContaining({ kind: 'lost', reason: 'transfer_leg_missing', account: 'b' }),
    ]);
    expect(auditTransfers([withLegs('a', ev(2, 'transfer_out', 5, 't1', 'b')), withLegs('b', ev(2, 'transfer_in', 5, 't1', 'a'), ev(3, 'transfer_in', 5, 't1', 'a'))])).toEqual([
      expect.objectContaining({ kind: 'duplicated', reason: 'transfer_leg_repeated', account: 'b', count: 1 }),
    ]);
    expect(auditTransfers([withLegs('a', ev(2, 'transfer_out', 5, 't1', 'b')), withLegs('b', ev(2, 'transfer_in', 6, 't1', 'a'))])).toEqual([
      expect.objectContaining({ kind: 'conservation', reason: 'transfer_mismatch' }),
    ]);
  });

  it('does not count again a leg whose account is itself unknown', () => {
    const gone = auditAccount('b', { status: 404, body: { error: 'account_unknown' } }, { status: 0, body: undefined });
    expect(auditTransfers([withLegs('a', ev(2, 'transfer_out', 5, 't1', 'b')), gone])).toEqual([]);
  });

  it('totals the readable accounts', () => {
    const gone = auditAccount('c', { status: 404, body: { error: 'account_unknown' } }, { status: 0, body: undefined });
    expect(totals([withLegs('a', ev(2, 'withdraw', 100, 'w')), withLegs('b'), gone])).toEqual({
      balance: 1900,
      deposited: 2000,
      withdrawn: 100,
      accounts: { ok: 2, unknown: 1, unreadable: 0 },
    });
  });
});

describe('checkReceipts', () => {
  const receipt = (seq: number, key: string, type: Receipt['type'] = 'deposit', amount = 5): Receipt => ({ account: 'a', seq, type, amount, idempotencyKey: key });

  it('finds each confirmed operation once at its seq', () => {
    expect(checkReceipts('a', [receipt(2, 'k2'), receipt(3, 'k3', 'transfer_out')], [ev(2, 'deposit', 5, 'k2'), ev(3, 'transfer_out', 5, 'k3', 'b')])).toEqual([]);
  });

  it('reports missing receipts as lost, repeated ones as duplicated, misplaced ones as conservation', () => {
    expect(checkReceipts('a', [receipt(2, 'k2')], [ev(1, 'deposit', 5, 'other')])).toEqual([expect.objectContaining({ kind: 'lost', reason: 'missing_from_history', key: 'k2' })]);
    expect(checkReceipts('a', [receipt(2, 'k2')], [ev(2, 'deposit', 5, 'k2'), ev(3, 'deposit', 5, 'k2')])).toEqual([expect.objectContaining({ kind: 'duplicated', count: 1 })]);
    expect(checkReceipts('a', [receipt(2, 'k2')], [ev(4, 'deposit', 5, 'k2')])).toEqual([expect.objectContaining({ kind: 'conservation', reason: 'receipt_mismatch' })]);
  });

  it('loses every receipt of an account the server no longer knows, one per transaction', () => {
    expect(checkReceipts('a', [receipt(1, 'k1'), receipt(2, 'k2')], undefined)).toEqual([
      expect.objectContaining({ kind: 'lost', reason: 'account_unknown', key: 'k1', count: 1 }),
      expect.objectContaining({ kind: 'lost', reason: 'account_unknown', key: 'k2', count: 1 }),
    ]);
    expect(checkReceipts('a', [], undefined)).toEqual([]);
  });

  it('reads history answers and refuses what is not one', () => {
    expect(readHistory({ events: [{ seq: 1, type: 'deposit', amount: 5, idempotencyKey: 'k', at: 'x' }] })).toEqual([ev(1, 'deposit', 5, 'k')]);
    expect(readHistory({ events: [{ seq: '1' }] })).toBeUndefined();
    expect(readHistory(undefined)).toBeUndefined();
  });
});
