/**
 * The small HTTP toolkit the routes share: replies, errors that become replies, JSON bodies with a
 * size limit, cookies, and field validation that names the field and what is allowed.
 */
import type { IncomingMessage, OutgoingHttpHeaders } from 'node:http';

export interface Reply {
  status: number;
  /** Serialised as JSON; omitted for 204. */
  body?: unknown;
  headers?: OutgoingHttpHeaders;
}

/** Thrown by a handler to answer with `{"error": code, "detail"?: ...}`. */
export class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    readonly detail?: string,
    readonly headers?: OutgoingHttpHeaders,
  ) {
    super(detail === undefined ? code : `${code}: ${detail}`);
    this.name = 'HttpError';
  }

  toReply(): Reply {
    const body = this.detail === undefined ? { error: this.code } : { error: this.code, detail: this.detail };
    return this.headers === undefined ? { status: this.status, body } : { status: this.status, body, headers: this.headers };
  }
}

export const badRequest = (detail: string): HttpError => new HttpError(400, 'bad_request', detail);

export const MAX_BODY_BYTES = 64 * 1024;

/** Reads the whole body and parses it as JSON; 400 for bad JSON, 413 past the limit. */
export async function readJson(req: IncomingMessage, limit = MAX_BODY_BYTES): Promise<unknown> {
  const declared = Number(req.headers['content-length']);
  if (Number.isFinite(declared) && declared > limit) throw tooLarge(limit);
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    const buffer = typeof chunk === 'string' ? Buffer.from(chunk) : (chunk as Buffer);
    size += buffer.length;
    if (size > limit) throw tooLarge(limit);
    chunks.push(buffer);
  }
  const text = Buffer.concat(chunks).toString('utf8');
  if (text.trim() === '') throw badRequest('a JSON body is required');
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    throw badRequest(`body is not valid JSON (${error instanceof Error ? error.message : String(error)})`);
  }
}

function tooLarge(limit: number): HttpError {
  // The rest of the body is never read, so the connection cannot be reused.
  return new HttpError(413, 'payload_too_large', `body larger than ${limit} bytes`, { Connection: 'close' });
}

export function requireObject(value: unknown): Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw badRequest('body must be a JSON object');
  return value as Record<string, unknown>;
}

export function requireString(body: Record<string, unknown>, field: string, maxLength: number): string {
  const value = body[field];
  if (typeof value !== 'string' || value.length === 0 || value.length > maxLength) {
    throw badRequest(`${field}: ${describe(value)} is not allowed; expected a string of 1 to ${maxLength} characters`);
  }
  return value;
}

export function requireInteger(body: Record<string, unknown>, field: string, min: number, max: number): number {
  const value = body[field];
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < min || value > max) {
    throw badRequest(`${field}: ${describe(value)} is not allowed; expected an integer from ${min} to ${max}`);
  }
  return value;
}

function describe(value: unknown): string {
  if (value === undefined) return 'nothing';
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 40 ? `${text.slice(0, 40)}…` : text;
}

/** Cookie header → name/value pairs; the first of a repeated name wins. */
export function parseCookies(header: string | undefined): ReadonlyMap<string, string> {
  const cookies = new Map<string, string>();
  if (header === undefined) return cookies;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq <= 0) continue;
    const name = part.slice(0, eq).trim();
    let value = part.slice(eq + 1).trim();
    if (value.length >= 2 && value.startsWith('"') && value.endsWith('"')) value = value.slice(1, -1);
    if (!cookies.has(name)) cookies.set(name, value);
  }
  return cookies;
}
