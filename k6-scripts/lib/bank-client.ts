/**
 * The bank workload against the reference app, with the metrics of bank-metrics.ts. Module state is
 * per VU (k6 and the built-in engine instantiate modules once per VU): the VU's cookie jar, its
 * idempotency-key counter and its receipts (confirmed operations not yet checked against the server).
 *
 * Retries: a request with no answer or a 5xx has an unknown outcome — it may have been applied — so it
 * is sent again with the SAME idempotency key, at most `retries` times; the server answers a repeated
 * key with its first answer, so a retry can never apply twice. What stays unknown is counted with its
 * amount (bank_unknown_*), which bounds the conservation check's tolerance.
 *
 * Stickiness: setup() replays the cookies the load balancer set on its answers to every VU, so where
 * the balancer is sticky (the stateful architecture) all VUs reach the replica that holds the accounts;
 * where it is not, there is no cookie and nothing changes. When an account turns out unknown (the
 * replica that held it died), the VU checks its receipts (all lost) and opens the account again so the
 * load goes on, as a session journey logs in again.
 */
import { check, sleep } from 'k6';
import exec from 'k6/execution';
import http, { type CookieJar, type RefinedResponse, type ResponseType } from 'k6/http';
import { Counter } from 'k6/metrics';
import { auditAccount, auditTransfers, checkReceipts, readHistory, totals, type AccountAudit, type Answer, type HistoryLine, type Violation } from './bank-audit.ts';
import type { BankConfig } from './bank-config.ts';
import {
  METRIC_ACCOUNTS_RECREATED,
  METRIC_AUDIT_ACCOUNTS,
  METRIC_AUDIT_BALANCE,
  METRIC_AUDIT_DEPOSITED,
  METRIC_AUDIT_WITHDRAWN,
  METRIC_CONSERVATION,
  METRIC_DEPOSITED,
  METRIC_DUPLICATED,
  METRIC_IDEMPOTENT_REPLAYS,
  METRIC_LOST,
  METRIC_OPS,
  METRIC_RETRIES,
  METRIC_TRANSFERRED,
  METRIC_UNKNOWN_CENTS,
  METRIC_UNKNOWN_OUTCOMES,
  METRIC_WITHDRAWN,
  TAG_ACCOUNT,
  TAG_OP,
  TAG_OUTCOME,
  TAG_PHASE,
  TAG_REASON,
  TAG_STATE,
} from './bank-metrics.ts';
import {
  accountsOf,
  answeredBalances,
  classify,
  idempotencyKey,
  parseJson,
  pickOperation,
  receiptsFor,
  requestBody,
  requestPath,
  retryDelayS,
  type Operation,
  type Outcome,
  type Receipt,
} from './bank-ops.ts';
import { headerValue } from './headers.ts';
import { METRIC_APP_RESPONSES, NO_REPLICA, TAG_REPLICA } from './metric-names.ts';
import type { ScriptConfig } from './script-config.ts';

/** What setup() hands to the VUs and teardown(): JSON, as k6 passes it. */
export interface BankData {
  runTag: string;
  accounts: string[];
  /** Cookies the load balancer set on setup's answers (name → value). */
  cookies: Record<string, string>;
}

type RequestName = 'open' | 'deposit' | 'withdraw' | 'transfer' | 'balance' | 'history';

const appResponses = new Counter(METRIC_APP_RESPONSES);
const deposited = new Counter(METRIC_DEPOSITED);
const withdrawn = new Counter(METRIC_WITHDRAWN);
const transferred = new Counter(METRIC_TRANSFERRED);
const unknownOutcomes = new Counter(METRIC_UNKNOWN_OUTCOMES);
const unknownCents = new Counter(METRIC_UNKNOWN_CENTS);
const ops = new Counter(METRIC_OPS);
const retries = new Counter(METRIC_RETRIES);
const idempotentReplays = new Counter(METRIC_IDEMPOTENT_REPLAYS);
const recreated = new Counter(METRIC_ACCOUNTS_RECREATED);
const auditBalance = new Counter(METRIC_AUDIT_BALANCE);
const auditDeposited = new Counter(METRIC_AUDIT_DEPOSITED);
const auditWithdrawn = new Counter(METRIC_AUDIT_WITHDRAWN);
const auditAccounts = new Counter(METRIC_AUDIT_ACCOUNTS);
const lost = new Counter(METRIC_LOST);
const duplicated = new Counter(METRIC_DUPLICATED);
const conservation = new Counter(METRIC_CONSERVATION);

const MAX_PENDING = 10_000;
const MAX_SETTLED = 20_000;

let jar: CookieJar | undefined;
let issued = 0;
let pending: Receipt[] = [];
let settled: Receipt[] = [];
/** Keys already counted as lost, so the two legs of one transfer count once. */
const countedLost = new Set<string>();

/** setup(): opens `count` accounts named after a fresh run tag; fails the run if fewer than two open. */
export function openAccounts(config: ScriptConfig, bank: BankConfig): BankData {
  const runTag = `r${Math.floor(Math.random() * 36 ** 6).toString(36)}${Date.now().toString(36).slice(-4)}`;
  const accounts: string[] = [];
  const cookies: Record<string, string> = {};
  const setupJar = new http.CookieJar();
  for (let i = 0; i < bank.accounts; i += 1) {
    const id = `${runTag}-a${i}`;
    for (let attempt = 0; attempt <= bank.retries; attempt += 1) {
      const res = http.post(`${config.baseUrl}/accounts`, JSON.stringify({ id }), params(config, 'open', setupJar, 409));
      record(res, 'open');
      for (const [name, list] of Object.entries(res.cookies)) {
        const last = list[list.length - 1];
        if (last !== undefined) cookies[name] = last.value;
      }
      // 409: an earlier attempt whose answer was lost did open it.
      if (res.status === 201 || res.status === 409) {
        accounts.push(id);
        break;
      }
      if (attempt < bank.retries) sleep(retryDelayS(attempt + 1));
    }
  }
  if (accounts.length < 2) throw new Error(`setup opened only ${accounts.length} of ${bank.accounts} accounts at ${config.baseUrl}`);
  return { runTag, accounts, cookies };
}

/** One iteration: a random deposit, withdrawal or transfer, retried while its outcome is unknown. */
export function runOperation(config: ScriptConfig, bank: BankConfig, data: BankData): void {
  const vuJar = vuCookies(config, data);
  const op = pickOperation(data.accounts, bank.maxAmount, Math.random);
  issued += 1;
  const key = idempotencyKey(data.runTag, exec.vu.idInTest, issued);
  const payload = JSON.stringify(requestBody(op, key));
  let outcome: Outcome = 'unknown';
  let res: RefinedResponse<ResponseType | undefined> | undefined;
  for (let attempt = 0; attempt <= bank.retries; attempt += 1) {
    if (attempt > 0) {
      retries.add(1, { [TAG_OP]: op.kind });
      sleep(retryDelayS(attempt));
    }
    res = http.post(`${config.baseUrl}${requestPath(op)}`, payload, params(config, op.kind, vuJar, 409));
    record(res, op.kind);
    outcome = classify(res.status, parseJson(res.body));
    if (outcome !== 'unknown') break;
  }
  ops.add(1, { [TAG_OP]: op.kind, [TAG_OUTCOME]: outcome });
  if (res !== undefined && headerValue(res.headers, 'Idempotent-Replayed') === 'true') idempotentReplays.add(1, { [TAG_OP]: op.kind });

  if (outcome === 'confirmed' && res !== undefined) confirm(op, key, parseJson(res.body));
  else if (outcome === 'unknown') {
    unknownOutcomes.add(1, { [TAG_OP]: op.kind });
    unknownCents.add(op.amount, { [TAG_OP]: op.kind });
  } else if (outcome === 'account_unknown') {
    // The server lost an account setup() opened: whatever this VU confirmed on it is gone.
    auditReceipts(config, vuJar, accountsOf(op));
    for (const account of accountsOf(op)) reopen(config, vuJar, account);
  }
  if (bank.auditEvery > 0 && pending.length >= bank.auditEvery) auditReceipts(config, vuJar);
}

/** teardown(): every account's balance against its history, and both legs of every transfer. */
export function auditBooks(config: ScriptConfig, bank: BankConfig, data: BankData): AccountAudit[] {
  const teardownJar = new http.CookieJar();
  for (const [name, value] of Object.entries(data.cookies)) teardownJar.set(config.baseUrl, name, value);
  const audits: AccountAudit[] = [];
  for (const id of data.accounts) {
    const account = readWithRetries(config, bank, teardownJar, 'balance', `/accounts/${encodeURIComponent(id)}`);
    const history = account.status === 200 ? readWithRetries(config, bank, teardownJar, 'history', `/accounts/${encodeURIComponent(id)}/history`) : { status: 0, body: undefined };
    audits.push(auditAccount(id, account, history));
  }
  const crossChecks = auditTransfers(audits);
  const sums = totals(audits);
  auditBalance.add(sums.balance);
  auditDeposited.add(sums.deposited);
  auditWithdrawn.add(sums.withdrawn);
  for (const audit of audits) auditAccounts.add(1, { [TAG_STATE]: audit.state });
  const violations = [...audits.flatMap((a) => a.violations), ...crossChecks];
  report(violations, 'teardown');

  const of = (kind: Violation['kind']): number => violations.filter((v) => v.kind === kind).length;
  const accountOf = (reason: string): boolean => audits.every((a) => !a.violations.some((v) => v.reason === reason));
  check(null, {
    'bank: every account opened by setup answers': () => sums.accounts.ok === audits.length,
    'bank: every balance equals its history': () => accountOf('balance_mismatch') && accountOf('version_mismatch'),
    'bank: no account went below 0': () => accountOf('overdraft'),
    'bank: no gap in any history (nothing lost)': () => of('lost') === 0,
    'bank: no transaction applied twice': () => of('duplicated') === 0,
    'bank: money is conserved (Σ balances = Σ deposits − Σ withdrawals)': () => sums.balance === sums.deposited - sums.withdrawn && of('conservation') === 0,
  });
  return audits;
}

/**
 * Checks the VU's receipts against the histories of their accounts. Pending receipts (not yet
 * checked) are looked up from their lowest seq on; receipts whose check got no answer wait for the
 * next audit. Receipts that passed are kept (bounded) as settled: when an account turns out unknown
 * or a receipt is missing — the account was lost, perhaps opened again since — the settled receipts
 * of that account are checked against its whole history too, so every confirmed transaction that was
 * lost is counted, not only the ones confirmed since the last audit. `suspects` are accounts to check
 * that way even without pending receipts (one just answered 404).
 */
export function auditReceipts(config: ScriptConfig, vuJar: CookieJar, suspects: readonly string[] = []): void {
  const byAccount = new Map<string, Receipt[]>();
  for (const account of suspects) byAccount.set(account, []);
  for (const receipt of pending) byAccount.set(receipt.account, [...(byAccount.get(receipt.account) ?? []), receipt]);
  const kept: Receipt[] = [];
  const violations: Violation[] = [];
  for (const [account, receipts] of byAccount) {
    // The VU's latest settled receipt on the account is checked again with the new ones: if it is gone,
    // the account was lost (and perhaps opened again and moved on by other VUs since).
    const anchor = latestOf(settled.filter((r) => r.account === account));
    const suspect = suspects.includes(account);
    const lowest = Math.min(...receipts.map((r) => r.seq), anchor?.seq ?? Number.MAX_SAFE_INTEGER);
    const fromSeq = suspect || lowest === Number.MAX_SAFE_INTEGER ? 1 : Math.max(1, lowest);
    let read = readHistoryOf(config, vuJar, account, fromSeq);
    if (read === undefined) {
      kept.push(...receipts);
      continue;
    }
    let found = checkReceipts(account, receipts, read.events);
    const anchorLost = anchor !== undefined && checkReceipts(account, [anchor], read.events).some((v) => v.kind === 'lost');
    if (suspect || anchorLost || found.some((v) => v.kind === 'lost')) {
      if (fromSeq > 1 && read.events !== undefined) read = readHistoryOf(config, vuJar, account, 1);
      if (read !== undefined) {
        const fromSettled = checkReceipts(account, settled.filter((r) => r.account === account), read.events);
        const gone = new Set(fromSettled.filter((v) => v.kind === 'lost').map((v) => v.key));
        settled = settled.filter((r) => r.account !== account || !gone.has(r.idempotencyKey));
        found = [...checkReceipts(account, receipts, read.events), ...fromSettled.filter((v) => v.kind === 'lost')];
      }
    }
    violations.push(...found);
    const failed = new Set(found.map((v) => v.key));
    settled.push(...receipts.filter((r) => !failed.has(r.idempotencyKey)));
    check(null, { 'bank: confirmed operations are in the history once': () => found.length === 0 });
  }
  pending = kept;
  // Bounded: the oldest settled receipts are forgotten (their loss would then show only in the sums).
  if (settled.length > MAX_SETTLED) settled = settled.slice(settled.length - MAX_SETTLED);
  report(violations, 'run');
}

function latestOf(receipts: readonly Receipt[]): Receipt | undefined {
  let latest: Receipt | undefined;
  for (const receipt of receipts) if (latest === undefined || receipt.seq > latest.seq) latest = receipt;
  return latest;
}

/** An account's history from `fromSeq` (events undefined: the account is unknown), or undefined without a usable answer. */
function readHistoryOf(config: ScriptConfig, vuJar: CookieJar, account: string, fromSeq: number): { events: HistoryLine[] | undefined } | undefined {
  const res = http.get(`${config.baseUrl}/accounts/${encodeURIComponent(account)}/history?fromSeq=${fromSeq}`, params(config, 'history', vuJar));
  record(res, 'history');
  const body = parseJson(res.body);
  const outcome = classify(res.status, body);
  if (outcome === 'account_unknown') return { events: undefined };
  if (res.status !== 200) return undefined;
  const events = readHistory(body);
  return events === undefined ? undefined : { events };
}

function confirm(op: Operation, key: string, body: unknown): void {
  if (op.kind === 'deposit') deposited.add(op.amount);
  else if (op.kind === 'withdraw') withdrawn.add(op.amount);
  else transferred.add(op.amount);
  const receipts = receiptsFor(op, key, body);
  if (receipts !== undefined) pending.push(...receipts);
  // Bounded even when audits are off (BANK_AUDIT_EVERY=0) or keep failing: the oldest go unchecked.
  if (pending.length > MAX_PENDING) pending = pending.slice(pending.length - MAX_PENDING);
  for (const balance of answeredBalances(op, body)) {
    if (balance < 0) report([{ kind: 'conservation', reason: 'overdraft', account: accountsOf(op)[0] ?? '', count: 1, detail: `answered balance ${balance}` }], 'run');
  }
}

function reopen(config: ScriptConfig, vuJar: CookieJar, account: string): void {
  const res = http.post(`${config.baseUrl}/accounts`, JSON.stringify({ id: account }), params(config, 'open', vuJar, 409));
  record(res, 'open');
  if (res.status === 201) recreated.add(1, { [TAG_ACCOUNT]: account });
}

function report(violations: readonly Violation[], phase: 'run' | 'teardown'): void {
  for (const v of violations) {
    const tags = { [TAG_REASON]: v.reason, [TAG_ACCOUNT]: v.account, [TAG_PHASE]: phase };
    if (v.kind === 'lost') {
      // Both legs of a lost transfer carry the same key: the transaction counts once.
      if (v.key !== undefined) {
        if (countedLost.has(v.key)) continue;
        countedLost.add(v.key);
      }
      lost.add(v.count, tags);
    } else if (v.kind === 'duplicated') duplicated.add(v.count, tags);
    else conservation.add(v.count, tags);
  }
}

function readWithRetries(config: ScriptConfig, bank: BankConfig, useJar: CookieJar, name: RequestName, path: string): Answer {
  let answer: Answer = { status: 0, body: undefined };
  for (let attempt = 0; attempt <= bank.retries; attempt += 1) {
    if (attempt > 0) sleep(retryDelayS(attempt));
    const res = http.get(`${config.baseUrl}${path}`, params(config, name, useJar));
    record(res, name);
    answer = { status: res.status, body: parseJson(res.body) };
    if (res.status !== 0 && res.status < 500) break;
  }
  return answer;
}

/** The VU's own jar, seeded once with setup's cookies (k6 empties the VU's default jar every iteration). */
function vuCookies(config: ScriptConfig, data: BankData): CookieJar {
  if (jar === undefined) {
    jar = new http.CookieJar();
    for (const [name, value] of Object.entries(data.cookies)) jar.set(config.baseUrl, name, value);
  }
  return jar;
}

function params(config: ScriptConfig, name: RequestName, useJar: CookieJar, alsoExpected?: number) {
  return {
    headers: { 'Content-Type': 'application/json' },
    tags: { name },
    timeout: config.requestTimeout,
    jar: useJar,
    // 409 (refused, or already open) is an answer of the contract, not a failed request.
    ...(alsoExpected === undefined ? {} : { responseCallback: http.expectedStatuses({ min: 200, max: 399 }, alsoExpected) }),
  };
}

/** Counts the response in app_responses (no session tag: the bank routes have none). */
function record(res: RefinedResponse<ResponseType | undefined>, name: RequestName): void {
  const replica = res.status === 0 ? NO_REPLICA : (headerValue(res.headers, 'X-Replica') ?? NO_REPLICA);
  appResponses.add(1, { [TAG_REPLICA]: replica, status: String(res.status), name });
}
