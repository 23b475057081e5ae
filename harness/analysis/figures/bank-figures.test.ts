import { describe, expect, it } from 'vitest';
import { BankTally } from '../accumulate/bank-tally.ts';
import { MetricCode } from '../k6/metric-codes.ts';
import { bankFigures } from './bank-figures.ts';

function tally(points: Array<[MetricCode, number, string?]>): BankTally {
  const t = new BankTally();
  for (const [metric, value, op] of points) t.point(metric, value, { session: undefined, replica: undefined, op });
  return t;
}

describe('bankFigures', () => {
  it('is null for a trial without the bank script', () => {
    expect(bankFigures(new BankTally())).toBeNull();
  });

  it('holds when the audited balances equal confirmed deposits minus withdrawals', () => {
    const figures = bankFigures(tally([[MetricCode.bankDeposited, 10_000], [MetricCode.bankWithdrawn, 2_500], [MetricCode.bankAuditBalance, 7_500]]));
    expect(figures).toMatchObject({ expectedBalanceCents: 7_500, auditBalanceCents: 7_500, conservation: 'holds', missingCents: 0 });
  });

  it('lets operations with an unknown outcome widen the range, by their direction', () => {
    const base: Array<[MetricCode, number, string?]> = [
      [MetricCode.bankDeposited, 10_000],
      [MetricCode.bankWithdrawn, 2_000],
      [MetricCode.bankUnknownCents, 300, 'deposit'],
      [MetricCode.bankUnknownCents, 200, 'withdraw'],
    ];
    expect(bankFigures(tally([...base, [MetricCode.bankAuditBalance, 8_300]]))?.conservation).toBe('holds');
    expect(bankFigures(tally([...base, [MetricCode.bankAuditBalance, 7_800]]))?.conservation).toBe('holds');
    expect(bankFigures(tally([...base, [MetricCode.bankAuditBalance, 7_700]]))).toMatchObject({ conservation: 'money-lost', missingCents: 100 });
    expect(bankFigures(tally([...base, [MetricCode.bankAuditBalance, 8_400]]))?.conservation).toBe('money-created');
  });

  it('says when the audit did not run, and counts the violations the script reported', () => {
    const figures = bankFigures(tally([[MetricCode.bankDeposited, 100], [MetricCode.bankLost, 3], [MetricCode.bankDuplicated, 1], [MetricCode.bankConservationViolations, 2]]));
    expect(figures).toMatchObject({ conservation: 'not-audited', auditBalanceCents: null, lostTransactions: 3, duplicatedTransactions: 1, conservationViolations: 2 });
  });
});
