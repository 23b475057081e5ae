import type { BankTally } from '../accumulate/bank-tally.ts';
import type { BankFigures } from '../results-schema.ts';

/**
 * Conservation of money, from the sums over all VUs (the formula of k6-scripts/lib/bank-metrics.ts):
 * the balances the audit found must equal confirmed deposits − confirmed withdrawals, give or take
 * the operations whose outcome stayed unknown. Below that range money was lost; above it, created.
 */
export function bankFigures(tally: BankTally): BankFigures | null {
  if (!tally.seen) return null;
  const expectedCents = tally.depositedCents - tally.withdrawnCents;
  const low = expectedCents - tally.unknownWithdrawCents;
  const high = expectedCents + tally.unknownDepositCents;
  const observed = tally.auditBalanceCents;
  const conservation =
    observed === null ? 'not-audited' : observed < low ? 'money-lost' : observed > high ? 'money-created' : 'holds';
  return {
    confirmedDepositedCents: tally.depositedCents,
    confirmedWithdrawnCents: tally.withdrawnCents,
    unknownDepositCents: tally.unknownDepositCents,
    unknownWithdrawCents: tally.unknownWithdrawCents,
    expectedBalanceCents: expectedCents,
    auditBalanceCents: observed,
    missingCents: observed === null || observed >= low ? 0 : low - observed,
    conservation,
    lostTransactions: tally.lostTransactions,
    duplicatedTransactions: tally.duplicatedTransactions,
    conservationViolations: tally.conservationViolations,
  };
}
