import { describe, expect, it } from 'vitest';
import { decodeLogEvent, encodeLogEvent, EVENT_FIELD, legsOf, type LogEvent } from './log-events.ts';
import { Projection, type AnomalyKind, type StreamEntry } from './projection.ts';
import { compareStreamIds } from './stream-id.ts';

const at = '2024-05-01T12:00:00.000Z';
const entry = (id: string, event: LogEvent): StreamEntry => [id, [EVENT_FIELD, encodeLogEvent(event)]];
const opened = (id: string, account: string): StreamEntry => entry(id, { type: 'opened', account, at });
const dep = (id: string, account: string, amount: number, seq: number): StreamEntry => entry(id, { type: 'deposit', account, amount, seq, key: `k${id}`, at });

describe('stream ids', () => {
  it('compare as numbers, not strings', () => {
    expect(compareStreamIds('9-0', '10-0')).toBeLessThan(0);
    expect(compareStreamIds('10-2', '10-10')).toBeLessThan(0);
    expect(compareStreamIds('10-1', '10-1')).toBe(0);
    expect(compareStreamIds('1700000000000-5', '0-0')).toBeGreaterThan(0);
    expect(() => compareStreamIds('x', '0-0')).toThrow('not a stream id');
  });
});

describe('log events', () => {
  it('round-trip, and a transfer is one entry with a leg per account', () => {
    const transfer: LogEvent = { type: 'transfer', from: 'a', to: 'b', amount: 5, fromSeq: 3, toSeq: 1, key: 'k', at };
    expect(decodeLogEvent(encodeLogEvent(transfer))).toEqual(transfer);
    expect(legsOf(transfer)).toEqual([
      { account: 'a', seq: 3, delta: -5 },
      { account: 'b', seq: 1, delta: 5 },
    ]);
    expect(() => decodeLogEvent('{"type":"deposit","account":"a"}')).toThrow('malformed log event');
    expect(() => decodeLogEvent('not json')).toThrow('malformed log event');
  });
});

describe('Projection', () => {
  it('applies entries in order and counts them from the start of the log', () => {
    const p = new Projection();
    expect(p.applyEntries([opened('1-0', 'a'), dep('2-0', 'a', 10, 1), dep('3-0', 'a', 5, 2)])).toBe(3);
    expect(p.get('a')).toEqual({ balance: 15, version: 2 });
    expect(p.lastId).toBe('3-0');
    expect(p.events).toBe(3);
  });

  it('skips what it already applied, so overlapping fetches are harmless', () => {
    const p = new Projection();
    p.applyEntries([opened('1-0', 'a'), dep('2-0', 'a', 10, 1)]);
    expect(p.applyEntries([dep('2-0', 'a', 10, 1), dep('3-0', 'a', 5, 2)])).toBe(1);
    expect(p.get('a')).toEqual({ balance: 15, version: 2 });
  });

  it('starts from a snapshot state and gives back a state naming its stream id', () => {
    const p = new Projection({ streamId: '5-0', events: 5, accounts: [['a', 100, 4]] });
    p.applyEntries([dep('4-0', 'a', 1, 4), dep('6-0', 'a', 7, 5)]);
    expect(p.toState()).toEqual({ streamId: '6-0', events: 6, accounts: [['a', 107, 5]] });
  });

  it('reports what cannot happen through the store instead of absorbing it', () => {
    const seen: AnomalyKind[] = [];
    const p = new Projection(undefined, (kind) => seen.push(kind));
    p.applyEntries([opened('1-0', 'a'), dep('2-0', 'a', 10, 2), dep('3-0', 'ghost', 1, 1), opened('4-0', 'a'), ['5-0', ['other', 'x']]]);
    expect(seen).toEqual(['gap', 'unknown_account', 'reopened', 'malformed']);
    expect(p.anomalies).toEqual({ gap: 1, unknown_account: 1, reopened: 1, malformed: 1 });
    // Malformed or not, every entry moves the position on: the replica never sticks on one.
    expect(p.lastId).toBe('5-0');
    expect(p.get('a')).toEqual({ balance: 10, version: 2 });
  });

  it('hands out copies', () => {
    const p = new Projection();
    p.applyEntries([opened('1-0', 'a')]);
    const state = p.get('a');
    if (state) state.balance = 99;
    expect(p.get('a')).toEqual({ balance: 0, version: 0 });
  });
});
