/**
 * Checks of the bank's books, as pure functions (no k6 import):
 * - auditAccount: one account's balance against its own history (teardown): seq 1..version with no
 *   gap or repeat, every idempotency key once, never below 0, balance = Σ of the history;
 * - auditTransfers: both legs of every transfer, once each, agreeing (teardown, across accounts);
 * - checkReceipts: a VU's confirmed operations against the server's history (during the run): each
 *   must be there once, at the seq the server answered.
 * A violation is `lost` (a confirmed change the server no longer has), `duplicated` (a change applied
 * more than once) or `conservation` (any other broken invariant).
 */
import type { Receipt } from './bank-ops.ts';

export type ViolationKind = 'lost' | 'duplicated' | 'conservation';

export interface Violation {
  kind: ViolationKind;
  /** Stable, for the `reason` tag: e.g. seq_gap, key_repeated, balance_mismatch, account_unknown. */
  reason: string;
  account: string;
  /** How many transactions (or invariants) it concerns. */
  count: number;
  detail: string;
  /** The idempotency key concerned, when one transaction is (receipts). */
  key?: string;
}

export interface HistoryLine {
  seq: number;
  type: string;
  amount: number;
  idempotencyKey: string;
  counterparty?: string;
}

export interface TransferLeg {
  key: string;
  account: string;
  counterparty: string;
  direction: 'out' | 'in';
  amount: number;
}

export type AuditState = 'ok' | 'unknown' | 'unreadable';

export interface AccountAudit {
  id: string;
  /** ok: balance and history read; unknown: 404 account_unknown; unreadable: no usable answer. */
  state: AuditState;
  balance: number;
  deposited: number;
  withdrawn: number;
  transferredIn: number;
  transferredOut: number;
  legs: TransferLeg[];
  violations: Violation[];
}

export interface Answer {
  status: number;
  body: unknown;
}

/** The events of a `GET /accounts/{id}/history` answer, or undefined when it is not one. */
export function readHistory(body: unknown): HistoryLine[] | undefined {
  const events = body !== null && typeof body === 'object' ? (body as { events?: unknown }).events : undefined;
  if (!Array.isArray(events)) return undefined;
  const lines: HistoryLine[] = [];
  for (const event of events) {
    if (event === null || typeof event !== 'object') return undefined;
    const { seq, type, amount, idempotencyKey, counterparty } = event as Record<string, unknown>;
    if (typeof seq !== 'number' || typeof type !== 'string' || typeof amount !== 'number' || typeof idempotencyKey !== 'string') return undefined;
    const line: HistoryLine = { seq, type, amount, idempotencyKey };
    if (typeof counterparty === 'string') line.counterparty = counterparty;
    lines.push(line);
  }
  return lines;
}

export function auditAccount(id: string, account: Answer, history: Answer): AccountAudit {
  const audit: AccountAudit = { id, state: 'unreadable', balance: 0, deposited: 0, withdrawn: 0, transferredIn: 0, transferredOut: 0, legs: [], violations: [] };
  if (account.status === 404 && errorCode(account.body) === 'account_unknown') {
    audit.state = 'unknown';
    audit.violations.push({ kind: 'conservation', reason: 'account_unknown', account: id, count: 1, detail: `account ${id} opened by setup() is unknown to the server` });
    return audit;
  }
  const state = readAccount(account.body);
  const lines = history.status === 200 ? readHistory(history.body) : undefined;
  if (account.status !== 200 || state === undefined || lines === undefined) return audit;
  audit.state = 'ok';
  audit.balance = state.balance;
  const v = audit.violations;

  const seqCounts = new Map<number, number>();
  let highest = state.version;
  for (const line of lines) {
    seqCounts.set(line.seq, (seqCounts.get(line.seq) ?? 0) + 1);
    if (line.seq > highest) highest = line.seq;
  }
  let missing = 0;
  for (let seq = 1; seq <= highest; seq += 1) if (!seqCounts.has(seq)) missing += 1;
  if (missing > 0) v.push({ kind: 'lost', reason: 'seq_gap', account: id, count: missing, detail: `${missing} of seq 1..${highest} missing from the history` });
  const repeatedSeqs = sumRepeats(seqCounts);
  if (repeatedSeqs > 0) v.push({ kind: 'duplicated', reason: 'seq_repeated', account: id, count: repeatedSeqs, detail: `${repeatedSeqs} seq numbers appear more than once` });

  const keyCounts = new Map<string, number>();
  for (const line of lines) keyCounts.set(line.idempotencyKey, (keyCounts.get(line.idempotencyKey) ?? 0) + 1);
  const repeatedKeys = sumRepeats(keyCounts);
  if (repeatedKeys > 0) v.push({ kind: 'duplicated', reason: 'key_repeated', account: id, count: repeatedKeys, detail: `${repeatedKeys} events repeat an idempotency key` });

  if (state.version !== lines.length) {
    v.push({ kind: 'conservation', reason: 'version_mismatch', account: id, count: 1, detail: `version ${state.version} but ${lines.length} events` });
  }

  let running = 0;
  let overdrafts = 0;
  for (const line of [...lines].sort((a, b) => a.seq - b.seq)) {
    switch (line.type) {
      case 'deposit':
        audit.deposited += line.amount;
        running += line.amount;
        break;
      case 'withdraw':
        audit.withdrawn += line.amount;
        running -= line.amount;
        break;
      case 'transfer_in':
        audit.transferredIn += line.amount;
        running += line.amount;
        audit.legs.push({ key: line.idempotencyKey, account: id, counterparty: line.counterparty ?? '', direction: 'in', amount: line.amount });
        break;
      case 'transfer_out':
        audit.transferredOut += line.amount;
        running -= line.amount;
        audit.legs.push({ key: line.idempotencyKey, account: id, counterparty: line.counterparty ?? '', direction: 'out', amount: line.amount });
        break;
      default:
        v.push({ kind: 'conservation', reason: 'unknown_event_type', account: id, count: 1, detail: `event type ${JSON.stringify(line.type)} at seq ${line.seq}` });
    }
    if (running < 0) overdrafts += 1;
  }
  if (overdrafts > 0) v.push({ kind: 'conservation', reason: 'overdraft', account: id, count: overdrafts, detail: `the balance went below 0 after ${overdrafts} events` });
  if (state.balance < 0) v.push({ kind: 'conservation', reason: 'overdraft', account: id, count: 1, detail: `balance ${state.balance}` });
  if (running !== state.balance) {
    v.push({ kind: 'conservation', reason: 'balance_mismatch', account: id, count: 1, detail: `balance ${state.balance} but the history adds up to ${running}` });
  }
  return audit;
}

/**
 * Every transfer must show once as transfer_out in its `from` history and once as transfer_in in its
 * `to` history, with the same amount. A missing leg whose account is itself unknown or unreadable is
 * not counted again (auditAccount already reported that account).
 */
export function auditTransfers(audits: readonly AccountAudit[]): Violation[] {
  const ok = new Set(audits.filter((a) => a.state === 'ok').map((a) => a.id));
  const byKey = new Map<string, TransferLeg[]>();
  for (const audit of audits) for (const leg of audit.legs) byKey.set(leg.key, [...(byKey.get(leg.key) ?? []), leg]);
  const violations: Violation[] = [];
  for (const [key, legs] of byKey) {
    const outs = legs.filter((l) => l.direction === 'out');
    const ins = legs.filter((l) => l.direction === 'in');
    for (const [side, list] of [['out', outs], ['in', ins]] as const) {
      const first = list[0];
      if (list.length > 1 && first !== undefined) {
        violations.push({ kind: 'duplicated', reason: 'transfer_leg_repeated', account: first.account, count: list.length - 1, detail: `transfer ${key}: ${list.length} ${side} legs` });
      }
    }
    const out = outs[0];
    const into = ins[0];
    if (out !== undefined && into === undefined && ok.has(out.counterparty)) {
      violations.push({ kind: 'lost', reason: 'transfer_leg_missing', account: out.counterparty, count: 1, detail: `transfer ${key}: no transfer_in in ${out.counterparty}` });
    } else if (into !== undefined && out === undefined && ok.has(into.counterparty)) {
      violations.push({ kind: 'lost', reason: 'transfer_leg_missing', account: into.counterparty, count: 1, detail: `transfer ${key}: no transfer_out in ${into.counterparty}` });
    } else if (out !== undefined && into !== undefined && (out.amount !== into.amount || out.counterparty !== into.account || into.counterparty !== out.account)) {
      violations.push({ kind: 'conservation', reason: 'transfer_mismatch', account: out.account, count: 1, detail: `transfer ${key}: legs disagree` });
    }
  }
  return violations;
}

export interface AuditTotals {
  balance: number;
  deposited: number;
  withdrawn: number;
  accounts: Record<AuditState, number>;
}

export function totals(audits: readonly AccountAudit[]): AuditTotals {
  const sum: AuditTotals = { balance: 0, deposited: 0, withdrawn: 0, accounts: { ok: 0, unknown: 0, unreadable: 0 } };
  for (const audit of audits) {
    sum.accounts[audit.state] += 1;
    if (audit.state !== 'ok') continue;
    sum.balance += audit.balance;
    sum.deposited += audit.deposited;
    sum.withdrawn += audit.withdrawn;
  }
  return sum;
}

/**
 * A VU's receipts for one account against that account's history (all of it, or from the lowest
 * receipt seq on). Each confirmed operation must appear exactly once, at the seq it was answered.
 * An account the server no longer knows (`history` undefined) has lost them all.
 */
export function checkReceipts(account: string, receipts: readonly Receipt[], history: readonly HistoryLine[] | undefined): Violation[] {
  if (history === undefined) {
    return receipts.map((receipt) => ({
      kind: 'lost' as const,
      reason: 'account_unknown',
      account,
      count: 1,
      key: receipt.idempotencyKey,
      detail: `${receipt.type} ${receipt.idempotencyKey} (seq ${receipt.seq}) was confirmed on an account the server no longer knows`,
    }));
  }
  const violations: Violation[] = [];
  for (const receipt of receipts) {
    const found = history.filter((line) => line.idempotencyKey === receipt.idempotencyKey && line.type === receipt.type);
    const first = found[0];
    if (first === undefined) {
      violations.push({ kind: 'lost', reason: 'missing_from_history', account, count: 1, key: receipt.idempotencyKey, detail: `${receipt.type} ${receipt.idempotencyKey} (seq ${receipt.seq}) is not in the history` });
    } else if (found.length > 1) {
      violations.push({ kind: 'duplicated', reason: 'key_repeated', account, count: found.length - 1, key: receipt.idempotencyKey, detail: `${receipt.type} ${receipt.idempotencyKey} appears ${found.length} times` });
    } else if (first.seq !== receipt.seq || first.amount !== receipt.amount) {
      violations.push({ kind: 'conservation', reason: 'receipt_mismatch', account, count: 1, key: receipt.idempotencyKey, detail: `${receipt.idempotencyKey}: answered seq ${receipt.seq} amount ${receipt.amount}, history has seq ${first.seq} amount ${first.amount}` });
    }
  }
  return violations;
}

function readAccount(body: unknown): { balance: number; version: number } | undefined {
  if (body === null || typeof body !== 'object') return undefined;
  const { balance, version } = body as { balance?: unknown; version?: unknown };
  if (typeof balance !== 'number' || typeof version !== 'number' || !Number.isInteger(balance) || !Number.isInteger(version)) return undefined;
  return { balance, version };
}

function errorCode(body: unknown): unknown {
  return body !== null && typeof body === 'object' ? (body as { error?: unknown }).error : undefined;
}

function sumRepeats<K>(counts: ReadonlyMap<K, number>): number {
  let repeats = 0;
  for (const count of counts.values()) if (count > 1) repeats += count - 1;
  return repeats;
}
