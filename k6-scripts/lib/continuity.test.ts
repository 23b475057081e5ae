import { describe, expect, it } from 'vitest';
import { FRESH_SESSION, judge, type KnownState } from './continuity.ts';

const known: KnownState = { count: 5, version: 3 };
const cart = (count: number, version: number): unknown => ({ items: [{ sku: 'a', qty: count }], count, version });

describe('session continuity', () => {
  it('a 401 session_unknown is a lost session, whatever the request', () => {
    for (const expectation of [{ kind: 'read' }, { kind: 'write', qty: 1 }, { kind: 'none' }] as const) {
      expect(judge(known, expectation, 401, { error: 'session_unknown' })).toMatchObject({ outcome: 'lost', reason: 'unknown_session' });
    }
  });

  it('a 401 for another reason, a 5xx, a 409 or a network error (status 0) says nothing', () => {
    expect(judge(known, { kind: 'read' }, 401, { error: 'forbidden' })).toEqual({ outcome: 'inconclusive' });
    expect(judge(known, { kind: 'read' }, 401, undefined)).toEqual({ outcome: 'inconclusive' });
    expect(judge(known, { kind: 'read' }, 503, { error: 'store_unavailable' })).toEqual({ outcome: 'inconclusive' });
    expect(judge(known, { kind: 'write', qty: 1 }, 409, { error: 'cart_full' })).toEqual({ outcome: 'inconclusive' });
    expect(judge(known, { kind: 'read' }, 0, undefined)).toEqual({ outcome: 'inconclusive' });
    expect(judge(known, { kind: 'read' }, 502, '<html>')).toEqual({ outcome: 'inconclusive' });
  });

  it('a 200 that is not a cart says nothing', () => {
    expect(judge(known, { kind: 'read' }, 200, undefined)).toEqual({ outcome: 'inconclusive' });
    expect(judge(known, { kind: 'read' }, 200, { count: '5', version: 3 })).toEqual({ outcome: 'inconclusive' });
    expect(judge(known, { kind: 'read' }, 200, { count: 5.5, version: 3 })).toEqual({ outcome: 'inconclusive' });
  });

  describe('reads', () => {
    it('the same or newer state is continuous, and becomes what the client knows', () => {
      expect(judge(known, { kind: 'read' }, 200, cart(5, 3))).toEqual({ outcome: 'continuous', known: { count: 5, version: 3 } });
      // Newer: a write that timed out on the client's side but was applied.
      expect(judge(known, { kind: 'read' }, 200, cart(7, 4))).toEqual({ outcome: 'continuous', known: { count: 7, version: 4 } });
    });
    it('fewer items is state behind', () => {
      expect(judge(known, { kind: 'read' }, 200, cart(4, 3))).toEqual({ outcome: 'lost', reason: 'state_behind', detail: 'count 4 is below 5' });
    });
    it('an older version is state behind, even with as many items', () => {
      expect(judge(known, { kind: 'read' }, 200, cart(5, 2))).toEqual({ outcome: 'lost', reason: 'state_behind', detail: 'version 2 is below 3' });
    });
    it('an empty cart for a session that wrote is state behind (e.g. a replica that lost it but kept the id)', () => {
      expect(judge(known, { kind: 'read' }, 200, cart(0, 0))).toMatchObject({ outcome: 'lost', reason: 'state_behind' });
    });
  });

  describe('writes', () => {
    it('must add at least the quantity and move the version', () => {
      expect(judge(known, { kind: 'write', qty: 2 }, 200, cart(7, 4))).toEqual({ outcome: 'continuous', known: { count: 7, version: 4 } });
      expect(judge(known, { kind: 'write', qty: 2 }, 200, cart(6, 4))).toEqual({ outcome: 'lost', reason: 'state_behind', detail: 'count 6 is below 7' });
      expect(judge(known, { kind: 'write', qty: 2 }, 200, cart(7, 3))).toEqual({ outcome: 'lost', reason: 'state_behind', detail: 'version 3 is below 4' });
    });
    it('starts from an empty cart at login', () => {
      expect(judge(FRESH_SESSION, { kind: 'write', qty: 1 }, 200, cart(1, 1))).toEqual({ outcome: 'continuous', known: { count: 1, version: 1 } });
    });
  });

  it('logout (204, no body) is not judged beyond 401', () => {
    expect(judge(known, { kind: 'none' }, 204, undefined)).toEqual({ outcome: 'inconclusive' });
  });
});
