/**
 * Custom metrics of the bank script (k6-scripts/bank.ts) and how the analysis reads them. Changing a
 * name or a tag here changes the contract between k6-scripts/ and harness/analysis/.
 *
 * During the run, per VU (each VU knows only what it was answered):
 *   bank_deposited_cents     counter, amounts of deposits confirmed (200)
 *   bank_withdrawn_cents     counter, amounts of withdrawals confirmed (200)
 *   bank_transferred_cents   counter, amounts of transfers confirmed (neutral for conservation)
 *   bank_unknown_outcomes    counter, 1 per operation still unanswered after its retries   tag op
 *   bank_unknown_cents       counter, the amounts of those operations                      tag op
 *   bank_ops                 counter, 1 per operation, tags op, outcome (confirmed | refused |
 *                            unknown | account_unknown | rejected)
 *   bank_retries             counter, 1 per resend of a request with the same key           tag op
 *   bank_idempotent_replays  counter, 1 per answer marked Idempotent-Replayed (a retry that found
 *                            its first attempt applied)                                    tag op
 *   bank_accounts_recreated  counter, 1 per account a VU found unknown and opened again
 *
 * At teardown, from the server (balances and histories of every account setup() opened):
 *   bank_audit_balance_cents    counter, Σ balances
 *   bank_audit_deposited_cents  counter, Σ deposits in the histories
 *   bank_audit_withdrawn_cents  counter, Σ withdrawals in the histories
 *   bank_audit_accounts         counter, 1 per account, tag state (ok | unknown | unreadable)
 *
 * Violations, during the run (a VU checking its receipts) and at teardown:
 *   bank_lost_transactions        counter, 1 per confirmed transaction the server no longer has
 *   bank_duplicated_transactions  counter, 1 per transaction the server applied more than once
 *   bank_conservation_violations  counter, 1 per other broken invariant (balance ≠ its history,
 *                                 overdraft, an account gone, a transfer's legs that disagree)
 *   tags: reason, account, phase (run | teardown)
 *
 * Conservation, computed by the analysis from the sums over all VUs:
 *   confirmed = Σ bank_deposited_cents − Σ bank_withdrawn_cents
 *   observed  = Σ bank_audit_balance_cents
 *   An operation with an unknown outcome may or may not have been applied, so conservation holds when
 *     confirmed − Σ bank_unknown_cents{op=withdraw} ≤ observed ≤ confirmed + Σ bank_unknown_cents{op=deposit}
 *   (transfers move money between accounts and leave both sides unchanged). observed below that range
 *   is money lost; above it, money created (a duplicate). Teardown cannot make this check itself:
 *   k6 gives it no access to the VUs' counters, so it checks what the server alone can prove (every
 *   balance equals its history, no gap or duplicate, both legs of every transfer) and emits the totals.
 */
export const METRIC_DEPOSITED = 'bank_deposited_cents';
export const METRIC_WITHDRAWN = 'bank_withdrawn_cents';
export const METRIC_TRANSFERRED = 'bank_transferred_cents';
export const METRIC_UNKNOWN_OUTCOMES = 'bank_unknown_outcomes';
export const METRIC_UNKNOWN_CENTS = 'bank_unknown_cents';
export const METRIC_OPS = 'bank_ops';
export const METRIC_RETRIES = 'bank_retries';
export const METRIC_IDEMPOTENT_REPLAYS = 'bank_idempotent_replays';
export const METRIC_ACCOUNTS_RECREATED = 'bank_accounts_recreated';
export const METRIC_AUDIT_BALANCE = 'bank_audit_balance_cents';
export const METRIC_AUDIT_DEPOSITED = 'bank_audit_deposited_cents';
export const METRIC_AUDIT_WITHDRAWN = 'bank_audit_withdrawn_cents';
export const METRIC_AUDIT_ACCOUNTS = 'bank_audit_accounts';
export const METRIC_LOST = 'bank_lost_transactions';
export const METRIC_DUPLICATED = 'bank_duplicated_transactions';
export const METRIC_CONSERVATION = 'bank_conservation_violations';

export const TAG_OP = 'op';
export const TAG_OUTCOME = 'outcome';
export const TAG_REASON = 'reason';
export const TAG_ACCOUNT = 'account';
export const TAG_PHASE = 'phase';
export const TAG_STATE = 'state';
