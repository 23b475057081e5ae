import type { SessionTally } from '../accumulate/session-book.ts';
import type { FaultSessions, TrialTotals } from '../results-schema.ts';
import type { PlannedFault, TrialPlan } from '../trial-plan.ts';

const rate = (part: number | null, whole: number | null): number | null =>
  part === null || whole === null || whole <= 0 ? null : Math.min(1, part / whole);

/** Whether the trial's workload has sessions at all: a bank workload has none, and shows none. */
export function hasSessions(totals: Pick<TrialTotals, 'sessionsStarted' | 'sessionsSeen' | 'sessionsLost'>): boolean {
  return totals.sessionsStarted > 0 || totals.sessionsSeen > 0 || totals.sessionsLost > 0;
}

/**
 * The session figures of one fault (glossary): the loss rate among the sessions open at the fault,
 * and among those pinned to its targets — "expected to lose" where sessions live in the replica,
 * merely "last served by the target" elsewhere.
 */
export function faultSessions(plan: TrialPlan, fault: PlannedFault, tally: SessionTally): FaultSessions {
  const at = fault.position;
  const openAtFault = tally.openAtFault[at] ?? 0;
  const lostOpen = tally.lostOpen[at] ?? 0;
  const pinnedToTarget = tally.pinned[at] ?? null;
  const lostPinned = tally.lostPinned[at] ?? null;
  return {
    lost: tally.lost[at] ?? 0,
    openAtFault,
    lostOpen,
    lossRate: rate(lostOpen, openAtFault),
    pinnedToTarget,
    lostPinned,
    pinnedLossRate: rate(lostPinned, pinnedToTarget),
    pinnedMeaning: pinnedToTarget === null ? null : plan.sessionsLiveInReplica ? 'expected-to-lose' : 'last-served-by-target',
  };
}
