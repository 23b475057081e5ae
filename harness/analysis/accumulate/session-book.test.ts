import { describe, expect, it } from 'vitest';
import { NO_REPLICA_ID } from './replica-registry.ts';
import { SessionBook } from './session-book.ts';

const APP_1 = 0;
const APP_2 = 1;

describe('SessionBook', () => {
  it("takes each session's latest replica before the fault by time, not by file order", () => {
    const book = new SessionBook([1000], [true], [{ position: 0, start: 1000, targetReplicaIds: new Set([APP_2]) }]);
    // a: app-2 at 900 is read after app-1 at 950, but 950 is later: a was last on app-1.
    book.response('a', 950, APP_1);
    book.response('a', 900, APP_2);
    book.response('a', 1100, APP_1);
    // b: last on app-2 (a failed request at 990 has no replica and does not change that).
    book.response('b', 980, APP_2);
    book.response('b', 990, NO_REPLICA_ID);
    book.response('b', 1200, APP_1);
    // c: last on app-2 but never back after the fault.
    book.response('c', 999, APP_2);
    book.lost('b', 1200);
    book.lost('b', 1300);
    book.lost('a', 1250);
    book.lost('d', 500);
    book.lost(undefined, 1400);
    expect(book.tally()).toEqual({
      activeAfter: [2],
      lost: [3],
      expectedToLose: [1],
      lostAndExpected: [1],
      sessionsSeen: 4,
      lostTotal: 4,
      lostOutsideFaults: 1,
    });
  });

  it('grows past its initial capacity without losing what it knew', () => {
    const book = new SessionBook([10], [true], [{ position: 0, start: 10, targetReplicaIds: new Set([APP_2]) }]);
    for (let i = 0; i < 5000; i++) {
      book.response(`s-${i}`, 5, i % 2 === 0 ? APP_2 : APP_1);
      book.response(`s-${i}`, 20, APP_1);
    }
    const tally = book.tally();
    expect(tally.sessionsSeen).toBe(5000);
    expect(tally.activeAfter).toEqual([5000]);
    expect(tally.expectedToLose).toEqual([2500]);
  });
});
