import { describe, expect, it } from 'vitest';
import { decodeHistoryEvent, decodeRecord, encodeHistoryEvent, encodeRecord } from './codec.ts';
import { decodeSnapshot, encodeSnapshot, type Snapshot } from './snapshots.ts';

describe('codec', () => {
  it('round-trips history events and remembered decisions', () => {
    const event = { seq: 2, type: 'transfer_in' as const, amount: 5, idempotencyKey: 'k', at: '2024-01-01T00:00:00.000Z', counterparty: 'a' };
    expect(decodeHistoryEvent(encodeHistoryEvent(event))).toEqual(event);
    const record = { fingerprint: 'deposit:a:5', decision: { status: 'applied' as const, balances: [{ balance: 5, version: 1 }] } };
    expect(decodeRecord(encodeRecord(record))).toEqual(record);
    expect(decodeRecord('{"fp":"x","decision":{"status":"refused","reason":"insufficient_funds"}}').decision).toEqual({ status: 'refused', reason: 'insufficient_funds' });
  });

  it('fails loudly on anything else', () => {
    expect(() => decodeHistoryEvent('{"seq":0,"type":"deposit","amount":5,"idempotencyKey":"k","at":"x"}')).toThrow('malformed history event');
    expect(() => decodeHistoryEvent('{"seq":1,"type":"gift","amount":5,"idempotencyKey":"k","at":"x"}')).toThrow('malformed history event');
    expect(() => decodeRecord('{"fp":"x","decision":{"status":"refused","reason":"nope"}}')).toThrow('malformed decision');
    expect(() => decodeRecord('{"fp":"x","decision":{"status":"applied","balances":[{"balance":-1,"version":1}]}}')).toThrow('malformed balance');
    expect(() => decodeRecord('[]')).toThrow('malformed idempotency record');
  });

  it('round-trips snapshots and refuses another format', () => {
    const snapshot: Snapshot = { format: 1, streamId: '12-3', events: 40, takenAt: '2024-01-01T00:00:00.000Z', replica: 'r', accounts: [['a', 10, 2]] };
    expect(decodeSnapshot(encodeSnapshot(snapshot))).toEqual(snapshot);
    expect(() => decodeSnapshot(JSON.stringify({ ...snapshot, format: 2 }))).toThrow('snapshot format 2 is not 1');
    expect(() => decodeSnapshot(JSON.stringify({ ...snapshot, streamId: 'x' }))).toThrow('bad streamId');
    expect(() => decodeSnapshot(JSON.stringify({ ...snapshot, accounts: [['a', 1.5, 2]] }))).toThrow('bad account');
  });
});
