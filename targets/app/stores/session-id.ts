import { randomBytes } from 'node:crypto';

/** 144 random bits, URL- and cookie-safe (base64url, 24 characters). */
export function newSessionId(): string {
  return randomBytes(18).toString('base64url');
}

/** What a cookie value must look like before it is used as a store key. */
export function isWellFormedSessionId(value: string): boolean {
  return /^[A-Za-z0-9_-]{16,64}$/.test(value);
}
