import { MetricCode } from '../k6/metric-codes.ts';
import type { PointTags } from '../k6/point-line-parser.ts';

/**
 * Sums of the bank script's counters over all VUs (k6-scripts/lib/bank-metrics.ts): what the client
 * knows was confirmed, what stayed unknown, and what the teardown audit found on the server.
 */
export class BankTally {
  seen = false;
  depositedCents = 0;
  withdrawnCents = 0;
  unknownDepositCents = 0;
  unknownWithdrawCents = 0;
  auditBalanceCents: number | null = null;
  lostTransactions = 0;
  duplicatedTransactions = 0;
  conservationViolations = 0;

  point(metric: MetricCode, value: number, tags: Readonly<PointTags>): void {
    this.seen = true;
    switch (metric) {
      case MetricCode.bankDeposited:
        this.depositedCents += value;
        return;
      case MetricCode.bankWithdrawn:
        this.withdrawnCents += value;
        return;
      case MetricCode.bankUnknownCents:
        if (tags.op === 'deposit') this.unknownDepositCents += value;
        else if (tags.op === 'withdraw') this.unknownWithdrawCents += value;
        return;
      case MetricCode.bankAuditBalance:
        this.auditBalanceCents = (this.auditBalanceCents ?? 0) + value;
        return;
      case MetricCode.bankLost:
        this.lostTransactions += value;
        return;
      case MetricCode.bankDuplicated:
        this.duplicatedTransactions += value;
        return;
      case MetricCode.bankConservationViolations:
        this.conservationViolations += value;
        return;
      default:
        return;
    }
  }
}

export function isBankMetric(metric: MetricCode): boolean {
  return metric >= MetricCode.bankDeposited && metric <= MetricCode.bankConservationViolations;
}
