/**
 * Request bodies of the bank routes → commands, with the app's 400 messages (field, value, what is
 * allowed). Account ids in paths that cannot exist answer 404 like any unknown account.
 */
import { randomBytes } from 'node:crypto';
import { badRequest, HttpError, requireInteger, requireString } from '../http.ts';
import { ACCOUNT_ID_PATTERN, IDEMPOTENCY_KEY_PATTERN, MAX_ACCOUNT_ID_LENGTH, MAX_AMOUNT, MAX_IDEMPOTENCY_KEY_LENGTH, type Command } from './model.ts';

export const accountUnknown = (detail?: string): HttpError => new HttpError(404, 'account_unknown', detail);

/** A fresh id for `POST /accounts` without one: 96 random bits, URL-safe. */
export function newAccountId(): string {
  return `acc-${randomBytes(12).toString('base64url')}`;
}

/** The `id` of `POST /accounts`, or undefined when the body names none. */
export function optionalAccountId(body: Record<string, unknown>): string | undefined {
  if (body.id === undefined || body.id === null) return undefined;
  return accountIdField(body, 'id');
}

/** An id from the path: one that could never have been created is simply unknown. */
export function pathAccountId(value: string | undefined): string {
  if (value === undefined || !ACCOUNT_ID_PATTERN.test(value)) throw accountUnknown();
  return value;
}

export function moneyCommand(kind: 'deposit' | 'withdraw', account: string, body: Record<string, unknown>): Command {
  return { kind, account, amount: amountField(body), idempotencyKey: keyField(body) };
}

export function transferCommand(body: Record<string, unknown>): Command {
  const from = accountIdField(body, 'from');
  const to = accountIdField(body, 'to');
  if (from === to) throw badRequest('to: must differ from from');
  return { kind: 'transfer', from, to, amount: amountField(body), idempotencyKey: keyField(body) };
}

/** `?fromSeq=` of the history route (an extension: only events with seq ≥ it); 1 when absent. */
export function fromSeqParam(query: URLSearchParams): number {
  const raw = query.get('fromSeq');
  if (raw === null || raw === '') return 1;
  const value = /^\d{1,15}$/.test(raw) ? Number(raw) : Number.NaN;
  if (!Number.isSafeInteger(value) || value < 1) throw badRequest(`fromSeq: ${JSON.stringify(raw)} is not allowed; expected an integer ≥ 1`);
  return value;
}

function accountIdField(body: Record<string, unknown>, field: string): string {
  const value = requireString(body, field, MAX_ACCOUNT_ID_LENGTH);
  if (!ACCOUNT_ID_PATTERN.test(value)) throw badRequest(`${field}: ${JSON.stringify(value)} is not allowed; expected 1 to ${MAX_ACCOUNT_ID_LENGTH} of A-Z a-z 0-9 _ . -`);
  return value;
}

function amountField(body: Record<string, unknown>): number {
  return requireInteger(body, 'amount', 1, MAX_AMOUNT);
}

function keyField(body: Record<string, unknown>): string {
  const value = requireString(body, 'idempotencyKey', MAX_IDEMPOTENCY_KEY_LENGTH);
  if (!IDEMPOTENCY_KEY_PATTERN.test(value)) throw badRequest(`idempotencyKey: ${JSON.stringify(value)} is not allowed; expected 1 to ${MAX_IDEMPOTENCY_KEY_LENGTH} printable ASCII characters without spaces`);
  return value;
}
