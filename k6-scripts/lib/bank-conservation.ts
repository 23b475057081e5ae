/**
 * The conservation check that needs every VU's counters, so only the analysis (or a test) can make it
 * after the run: what the clients were told (confirmed deposits − confirmed withdrawals) against what
 * the server holds at teardown (Σ balances). Operations whose outcome stayed unknown may or may not
 * have been applied, so they widen the accepted range instead of counting as violations. Pure; the
 * inputs are the sums of the bank_* counters named in bank-metrics.ts.
 */
export interface LedgerSums {
  /** Σ bank_deposited_cents */
  deposited: number;
  /** Σ bank_withdrawn_cents */
  withdrawn: number;
  /** Σ bank_unknown_cents{op=deposit} */
  unknownDeposited: number;
  /** Σ bank_unknown_cents{op=withdraw} */
  unknownWithdrawn: number;
  /** Σ bank_audit_balance_cents */
  observed: number;
}

export interface ConservationVerdict {
  holds: boolean;
  /** deposited − withdrawn */
  confirmed: number;
  /** The range observed may fall in. */
  low: number;
  high: number;
  /** Cents below the range (money the server lost), 0 if none. */
  lostCents: number;
  /** Cents above the range (money applied twice or made up), 0 if none. */
  createdCents: number;
}

export function judgeConservation(sums: LedgerSums): ConservationVerdict {
  const confirmed = sums.deposited - sums.withdrawn;
  const low = confirmed - sums.unknownWithdrawn;
  const high = confirmed + sums.unknownDeposited;
  const lostCents = Math.max(0, low - sums.observed);
  const createdCents = Math.max(0, sums.observed - high);
  return { holds: lostCents === 0 && createdCents === 0, confirmed, low, high, lostCents, createdCents };
}
