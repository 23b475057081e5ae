import { describe, expect, it } from 'vitest';
import { NO_REPLICA_ID } from './replica-registry.ts';
import { SessionBook } from './session-book.ts';

const APP_1 = 0;
const APP_2 = 1;

describe('SessionBook', () => {
  it("takes each session's latest replica before the fault by time, not by file order", () => {
    const book = new SessionBook([{ start: 20_000, attributable: true, targetReplicaIds: new Set([APP_2]) }]);
    // a: app-2 at 19 900 is read after app-1 at 19 950, but 19 950 is later: a was last on app-1.
    book.response('a', 19_950, APP_1);
    book.response('a', 19_900, APP_2);
    book.response('a', 20_100, APP_1);
    // b: last on app-2 (a failed request at 19 990 has no replica and does not change that).
    book.response('b', 19_980, APP_2);
    book.response('b', 19_990, NO_REPLICA_ID);
    book.response('b', 20_200, APP_1);
    // c: last on app-2 but never back after the fault.
    book.response('c', 19_999, APP_2);
    book.lost('b', 20_200);
    book.lost('b', 20_300);
    book.lost('a', 20_250);
    book.lost('d', 500);
    book.lost(undefined, 20_400);
    expect(book.tally()).toEqual({
      lost: [3],
      openAtFault: [2],
      lostOpen: [2],
      pinned: [1],
      lostPinned: [1],
      sessionsSeen: 4,
      lostTotal: 4,
      lostOutsideFaults: 1,
    });
  });

  it('counts as open at the fault only the sessions active in the 10 s before it and back after it', () => {
    const book = new SessionBook([
      { start: 30_000, attributable: true, targetReplicaIds: new Set([APP_2]) },
      { start: 40_000, attributable: true, targetReplicaIds: null },
    ]);
    book.response('open', 25_000, APP_2);
    book.response('open', 31_000, APP_1);
    // Idle for more than 10 s before the fault: pinned to the target, but not open at it.
    book.response('idle', 15_000, APP_2);
    book.response('idle', 32_000, APP_1);
    // Created after the first fault: open at the second only.
    book.response('late', 35_000, APP_1);
    book.response('late', 41_000, APP_1);
    // Active just before, never after: not open.
    book.response('gone', 29_999, APP_1);
    book.lost('idle', 32_000);
    const tally = book.tally();
    expect(tally.openAtFault).toEqual([1, 1]);
    expect(tally.lost).toEqual([1, 0]);
    expect(tally.lostOpen).toEqual([0, 0]);
    // A scale-out or data tier fault takes no replica away: no pinned count at all.
    expect(tally.pinned).toEqual([2, null]);
    expect(tally.lostPinned).toEqual([1, null]);
  });

  it('grows past its initial capacity without losing what it knew', () => {
    const book = new SessionBook([{ start: 10, attributable: true, targetReplicaIds: new Set([APP_2]) }]);
    for (let i = 0; i < 5000; i++) {
      book.response(`s-${i}`, 5, i % 2 === 0 ? APP_2 : APP_1);
      book.response(`s-${i}`, 20, APP_1);
    }
    const tally = book.tally();
    expect(tally.sessionsSeen).toBe(5000);
    expect(tally.openAtFault).toEqual([5000]);
    expect(tally.pinned).toEqual([2500]);
  });
});
