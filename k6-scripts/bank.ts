/**
 * Bank workload with a money-conservation check. setup() opens BANK_ACCOUNTS accounts; each VU
 * iteration deposits, withdraws or transfers a random amount with a fresh idempotency key, resending
 * a request whose outcome is unknown (no answer, 5xx) with the same key; teardown() audits the books.
 * One iteration = one operation (plus its retries) + THINK_TIME.
 *
 * How conservation is checked (metric names and the analysis' formula in lib/bank-metrics.ts):
 * - each VU counts the amounts the server confirmed (bank_deposited_cents, bank_withdrawn_cents) and
 *   those whose outcome stayed unknown (bank_unknown_cents); the analysis sums them over all VUs and
 *   compares Σ confirmed deposits − Σ confirmed withdrawals with the balances teardown reports
 *   (bank_audit_balance_cents), the unknown amounts bounding the tolerance — teardown itself cannot,
 *   since k6 gives it no access to the VUs' counters;
 * - each VU keeps a receipt of every confirmed operation (account, seq, key) and checks, every
 *   BANK_AUDIT_EVERY operations and whenever an account turns out unknown, that each is in the
 *   account's history exactly once: missing → bank_lost_transactions, repeated →
 *   bank_duplicated_transactions;
 * - teardown reads every account and its history: balance = Σ history, seq 1..version without gap or
 *   repeat, each key once, never below 0, both legs of every transfer; violations go to the same
 *   counters (phase "teardown") and to checks.
 *
 * Runs unchanged on k6 (`k6 run -e VUS=20 -e DURATION=60s k6-scripts/bank.ts`) and on the harness's
 * built-in engine. Environment: the common contract of lib/env-contract.ts (BASE_URL, VUS, DURATION,
 * STAGES, RATE, TIME_UNIT, PRE_ALLOCATED_VUS, MAX_VUS, GRACEFUL_STOP, THINK_TIME, REQUEST_TIMEOUT) and
 * BANK_ACCOUNTS, BANK_MAX_AMOUNT, BANK_RETRIES, BANK_AUDIT_EVERY (lib/bank-config.ts).
 */
import { sleep } from 'k6';
import type { Options } from 'k6/options';
import { auditBooks, openAccounts, runOperation, type BankData } from './lib/bank-client.ts';
import { bankConfig } from './lib/bank-config.ts';
import { buildOptions } from './lib/load-options.ts';
import { scriptConfig } from './lib/script-config.ts';

export const options: Options = {
  ...buildOptions(__ENV),
  // Teardown reads two answers per account, with retries: more than k6's default 60 s may be needed
  // when the target is recovering from a fault.
  teardownTimeout: '120s',
};

const config = scriptConfig(__ENV);
const bank = bankConfig(__ENV);

export function setup(): BankData {
  return openAccounts(config, bank);
}

export default function (data: BankData): void {
  runOperation(config, bank, data);
  sleep(config.thinkTimeS);
}

export function teardown(data: BankData): void {
  auditBooks(config, bank, data);
}
