/**
 * The bank ledger's vocabulary, shared by every store: accounts, the commands that move money, the
 * decision a command gets, and the history an account shows. Amounts and balances are integer cents.
 *
 * Rules (same for every store):
 * - An account starts at balance 0, version 0; every applied change to it adds one history event
 *   and raises its version by one, so `seq` of its events runs 1..version without gaps.
 * - A withdrawal or transfer that would take the balance below 0 is refused (`insufficient_funds`);
 *   a deposit that would take it above MAX_BALANCE is refused (`balance_limit`), so every balance
 *   stays an exact integer in a double (JSON, Lua).
 * - Every write carries an idempotency key: the first decision made for a key (applied or refused)
 *   is remembered with a fingerprint of the request, and repeating the key returns that decision
 *   unchanged; the same key on a different request is refused (`idempotency_key_reused`).
 */

/** One transfer or deposit moves at most this much (10 million units of currency). */
export const MAX_AMOUNT = 1_000_000_000;
/** Below 2^53, so balances stay exact in JSON numbers and in Redis' Lua (doubles). */
export const MAX_BALANCE = 1_000_000_000_000_000;
/** The most deposits `seed-ledger` appends (about 480 MB in Redis); the harness's scenario schema uses it too. */
export const MAX_SEED_DEPOSITS = 2_000_000;
export const MAX_ACCOUNT_ID_LENGTH = 64;
export const MAX_IDEMPOTENCY_KEY_LENGTH = 128;
/** How long a remembered decision answers a repeated key (Redis stores; the memory store keeps them for its lifetime). */
export const IDEMPOTENCY_TTL_MS = 24 * 3600 * 1000;

export const ACCOUNT_ID_PATTERN = /^[A-Za-z0-9_.-]{1,64}$/;
/** Printable ASCII without spaces: safe in Redis keys, headers and logs. */
export const IDEMPOTENCY_KEY_PATTERN = /^[\x21-\x7e]{1,128}$/;

export interface AccountState {
  balance: number;
  version: number;
}

export interface Account extends AccountState {
  id: string;
}

export type HistoryType = 'deposit' | 'withdraw' | 'transfer_out' | 'transfer_in';

/** One line of `GET /accounts/{id}/history`. `counterparty` is set on transfer legs only. */
export interface HistoryEvent {
  seq: number;
  type: HistoryType;
  amount: number;
  idempotencyKey: string;
  /** ISO 8601 time at which the replica decided it. */
  at: string;
  counterparty?: string;
}

export type Command =
  | { kind: 'deposit'; account: string; amount: number; idempotencyKey: string }
  | { kind: 'withdraw'; account: string; amount: number; idempotencyKey: string }
  | { kind: 'transfer'; from: string; to: string; amount: number; idempotencyKey: string };

export type RefusalReason = 'insufficient_funds' | 'balance_limit';

/**
 * What a command got. `balances` has one entry per account the command names, in its order
 * (deposit/withdraw: the account; transfer: from, then to), as the state right after the change.
 */
export type Decision = { status: 'applied'; balances: AccountState[] } | { status: 'refused'; reason: RefusalReason };

/** A decision as remembered under its idempotency key. */
export interface IdempotencyRecord {
  fingerprint: string;
  decision: Decision;
}

/** The answer to a write: a decision, or why none could be made. */
export type CommandResult =
  | { status: 'decided'; decision: Decision; /** true when the key had been used before: the first decision, unchanged. */ replayed: boolean }
  | { status: 'account_unknown'; account: string }
  | { status: 'key_reused' };

export type OpenResult = { status: 'created'; account: Account } | { status: 'exists' };

/** The accounts a command touches, in its order. */
export function accountsOf(command: Command): string[] {
  return command.kind === 'transfer' ? [command.from, command.to] : [command.account];
}

/**
 * What a repeated key must match to get the first decision back. Account ids cannot contain ':' or
 * '>', so the parts cannot run into each other.
 */
export function fingerprint(command: Command): string {
  return `${command.kind}:${accountsOf(command).join('>')}:${command.amount}`;
}
