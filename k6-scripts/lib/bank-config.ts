/**
 * What the bank script reads from the environment besides the common contract (env-contract.ts:
 * BASE_URL, VUS/DURATION, STAGES, RATE, THINK_TIME, REQUEST_TIMEOUT, GRACEFUL_STOP). Pure.
 *
 * BANK_ACCOUNTS     accounts setup() opens (default 20, at least 2 so transfers have a counterparty)
 * BANK_MAX_AMOUNT   largest amount of one operation, cents (default 10000)
 * BANK_RETRIES      retries of a request whose outcome is unknown (network error, 5xx), same
 *                   idempotency key (default 3; 0 = never retry)
 * BANK_AUDIT_EVERY  a VU checks its confirmed operations against the accounts' histories after this
 *                   many (default 50; 0 = only when an account turns out unknown)
 */
import { envError, positiveInt, type Env } from './env.ts';

export interface BankConfig {
  accounts: number;
  maxAmount: number;
  retries: number;
  auditEvery: number;
}

export const BANK_DEFAULTS: BankConfig = { accounts: 20, maxAmount: 10_000, retries: 3, auditEvery: 50 };

export function bankConfig(env: Env): BankConfig {
  const accounts = positiveInt(env, 'BANK_ACCOUNTS', BANK_DEFAULTS.accounts);
  if (accounts < 2) throw envError('BANK_ACCOUNTS', String(env['BANK_ACCOUNTS']), 'a whole number ≥ 2');
  const maxAmount = positiveInt(env, 'BANK_MAX_AMOUNT', BANK_DEFAULTS.maxAmount);
  if (maxAmount > 1_000_000_000) throw envError('BANK_MAX_AMOUNT', String(env['BANK_MAX_AMOUNT']), 'a whole number from 1 to 1000000000 (the app refuses larger amounts)');
  return {
    accounts,
    maxAmount,
    retries: wholeNumber(env, 'BANK_RETRIES', BANK_DEFAULTS.retries, 20),
    auditEvery: wholeNumber(env, 'BANK_AUDIT_EVERY', BANK_DEFAULTS.auditEvery, 1_000_000),
  };
}

function wholeNumber(env: Env, name: string, fallback: number, max: number): number {
  const raw = env[name]?.trim();
  if (raw === undefined || raw === '') return fallback;
  if (!/^\d+$/.test(raw) || Number(raw) > max) throw envError(name, raw, `a whole number from 0 to ${max}`);
  return Number(raw);
}
