/**
 * The bank workload's operations and how one answer is judged, as pure functions (no k6 import), so
 * vitest runs them under Node. bank-client.ts sends them.
 */

export type Operation =
  | { kind: 'deposit'; account: string; amount: number }
  | { kind: 'withdraw'; account: string; amount: number }
  | { kind: 'transfer'; from: string; to: string; amount: number };

export type OperationKind = Operation['kind'];

/**
 * What an answer says about an operation:
 * - confirmed: applied (200);
 * - refused: decided and not applied (409 insufficient_funds / balance_limit);
 * - unknown: no answer or a 5xx — it may or may not have been applied; retry with the same key;
 * - account_unknown: 404, the server does not know an account setup() opened;
 * - rejected: any other answer (a client bug, e.g. 400 or 422).
 */
export type Outcome = 'confirmed' | 'refused' | 'unknown' | 'account_unknown' | 'rejected';

/** Deposits are a little more frequent than withdrawals, so balances grow and withdrawals mostly pass. */
const MIX: readonly [OperationKind, number][] = [
  ['deposit', 0.4],
  ['withdraw', 0.3],
  ['transfer', 0.3],
];

/** A random operation on the given accounts; `random` returns [0, 1) like Math.random. */
export function pickOperation(accounts: readonly string[], maxAmount: number, random: () => number): Operation {
  if (accounts.length < 2) throw new Error('the bank workload needs at least two accounts');
  const amount = 1 + Math.floor(random() * maxAmount);
  const pickIndex = (): number => Math.min(accounts.length - 1, Math.floor(random() * accounts.length));
  let roll = random();
  let kind: OperationKind = 'deposit';
  for (const [candidate, share] of MIX) {
    kind = candidate;
    if (roll < share) break;
    roll -= share;
  }
  const first = pickIndex();
  const account = accounts[first] ?? '';
  if (kind !== 'transfer') return { kind, account, amount };
  // Another account than the first: shift by 1..n-1.
  const second = (first + 1 + Math.min(accounts.length - 2, Math.floor(random() * (accounts.length - 1)))) % accounts.length;
  return { kind, from: account, to: accounts[second] ?? '', amount };
}

/** The accounts an operation touches, in its order (from, to for a transfer). */
export function accountsOf(op: Operation): string[] {
  return op.kind === 'transfer' ? [op.from, op.to] : [op.account];
}

export function requestPath(op: Operation): string {
  return op.kind === 'transfer' ? '/transfers' : `/accounts/${encodeURIComponent(op.account)}/${op.kind}`;
}

export function requestBody(op: Operation, idempotencyKey: string): Record<string, unknown> {
  return op.kind === 'transfer'
    ? { from: op.from, to: op.to, amount: op.amount, idempotencyKey }
    : { amount: op.amount, idempotencyKey };
}

/** `<run>-<vu>-<n>`: unique per run (setup draws the run tag), so reruns on one data tier never collide. */
export function idempotencyKey(runTag: string, vu: number, n: number): string {
  return `${runTag}-${vu}-${n}`;
}

export function classify(status: number, body: unknown): Outcome {
  if (status === 200) return 'confirmed';
  if (status === 0 || status >= 500) return 'unknown';
  const error = errorCode(body);
  if (status === 409 && (error === 'insufficient_funds' || error === 'balance_limit')) return 'refused';
  if (status === 404 && error === 'account_unknown') return 'account_unknown';
  return 'rejected';
}

/** Seconds to wait before resend number `attempt` (1, 2, …): 0.1, 0.2, 0.4 … at most 1. */
export function retryDelayS(attempt: number): number {
  return Math.min(1, 0.1 * 2 ** Math.max(0, attempt - 1));
}

export interface Receipt {
  account: string;
  /** The account's version the server answered: the seq of this operation's event in its history. */
  seq: number;
  type: 'deposit' | 'withdraw' | 'transfer_out' | 'transfer_in';
  amount: number;
  idempotencyKey: string;
}

/** Receipts for a confirmed operation's answer (one per account); undefined when the answer is not the contract's. */
export function receiptsFor(op: Operation, key: string, body: unknown): Receipt[] | undefined {
  if (op.kind === 'transfer') {
    const from = balanceOf(field(body, 'from'));
    const to = balanceOf(field(body, 'to'));
    if (from === undefined || to === undefined) return undefined;
    return [
      { account: op.from, seq: from.version, type: 'transfer_out', amount: op.amount, idempotencyKey: key },
      { account: op.to, seq: to.version, type: 'transfer_in', amount: op.amount, idempotencyKey: key },
    ];
  }
  const state = balanceOf(body);
  if (state === undefined) return undefined;
  return [{ account: op.account, seq: state.version, type: op.kind, amount: op.amount, idempotencyKey: key }];
}

/** The balances an answer shows (for the no-overdraft check). */
export function answeredBalances(op: Operation, body: unknown): number[] {
  const states = op.kind === 'transfer' ? [balanceOf(field(body, 'from')), balanceOf(field(body, 'to'))] : [balanceOf(body)];
  return states.flatMap((s) => (s === undefined ? [] : [s.balance]));
}

export function parseJson(text: unknown): unknown {
  if (typeof text !== 'string' || text === '') return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

function field(body: unknown, name: string): unknown {
  return body !== null && typeof body === 'object' ? (body as Record<string, unknown>)[name] : undefined;
}

function errorCode(body: unknown): unknown {
  return field(body, 'error');
}

function balanceOf(value: unknown): { balance: number; version: number } | undefined {
  const balance = field(value, 'balance');
  const version = field(value, 'version');
  if (typeof balance !== 'number' || typeof version !== 'number' || !Number.isInteger(balance) || !Number.isInteger(version)) return undefined;
  return { balance, version };
}
