/**
 * Session continuity, as the glossary defines a lost session, judged on one response at a time:
 * - 401 with body {"error":"session_unknown"}: the server no longer knows the session;
 * - a cart behind what the client knows it wrote: fewer items (count) or an older version than it
 *   was last answered. A write must also move past what the client knew (count + qty, version + 1).
 * Anything else that is not a 2xx cart (network error, 5xx, 409…) says nothing about the session.
 * Pure: no k6 import, so vitest runs it under Node.
 */
export interface KnownState {
  /** Total quantity the server last confirmed (cart `count`). */
  count: number;
  /** Highest cart version the server answered. */
  version: number;
}

export type LossReason = 'unknown_session' | 'state_behind';

/** What the request was, which decides the least state a correct answer may show. */
export type Expectation = { kind: 'read' } | { kind: 'write'; qty: number } | { kind: 'none' };

export type Judgement =
  | { outcome: 'continuous'; known: KnownState }
  | { outcome: 'lost'; reason: LossReason; detail: string }
  | { outcome: 'inconclusive' };

export const FRESH_SESSION: KnownState = { count: 0, version: 0 };

export function judge(known: KnownState, expectation: Expectation, status: number, body: unknown): Judgement {
  if (status === 401 && errorCode(body) === 'session_unknown') {
    return { outcome: 'lost', reason: 'unknown_session', detail: 'the server answered 401 session_unknown' };
  }
  if (expectation.kind === 'none' || status < 200 || status > 299) return { outcome: 'inconclusive' };
  const cart = readCart(body);
  if (cart === undefined) return { outcome: 'inconclusive' };
  const floor = expectation.kind === 'write' ? { count: known.count + expectation.qty, version: known.version + 1 } : known;
  if (cart.count < floor.count) {
    return { outcome: 'lost', reason: 'state_behind', detail: `count ${cart.count} is below ${floor.count}` };
  }
  if (cart.version < floor.version) {
    return { outcome: 'lost', reason: 'state_behind', detail: `version ${cart.version} is below ${floor.version}` };
  }
  return { outcome: 'continuous', known: { count: cart.count, version: cart.version } };
}

function errorCode(body: unknown): unknown {
  return body !== null && typeof body === 'object' ? (body as { error?: unknown }).error : undefined;
}

function readCart(body: unknown): KnownState | undefined {
  if (body === null || typeof body !== 'object') return undefined;
  const { count, version } = body as { count?: unknown; version?: unknown };
  if (typeof count !== 'number' || typeof version !== 'number' || !Number.isInteger(count) || !Number.isInteger(version)) return undefined;
  return { count, version };
}
