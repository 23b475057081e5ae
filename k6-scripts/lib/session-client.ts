/**
 * One VU's shopping session against the reference app, with the metrics contract of
 * metric-names.ts. The state lives in this module's scope, which k6 (and the built-in engine)
 * instantiates once per VU, so each VU has its own session.
 *
 * Each session has its own cookie jar: a new session is a new browser (no sticky-LB cookie carried
 * over from the last one), and cookies survive k6's per-iteration reset of the VU's default jar.
 * Every request is tagged `session` and `name`; `name` also keeps URLs out of the tag set.
 */
import exec from 'k6/execution';
import http, { type CookieJar, type RefinedResponse, type ResponseType } from 'k6/http';
import { Counter } from 'k6/metrics';
import { FRESH_SESSION, judge, type Expectation, type KnownState } from './continuity.ts';
import { headerValue } from './headers.ts';
import {
  METRIC_APP_RESPONSES,
  METRIC_SESSION_LOST,
  METRIC_SESSION_STARTED,
  NO_REPLICA,
  TAG_LAST_REPLICA,
  TAG_REASON,
  TAG_REPLICA,
  TAG_SESSION,
} from './metric-names.ts';
import type { ScriptConfig } from './script-config.ts';

export type RequestName = 'login' | 'add-item' | 'cart' | 'logout';

interface Session {
  /** The client's id for this login: `<vu>-<n>`. */
  id: string;
  jar: CookieJar;
  known: KnownState;
  /** The replica that last answered it with a 2xx, "none" before that. */
  lastReplica: string;
  /**
   * Requests of this session answered with a 2xx, login excluded. Failed requests do not count, so
   * that an outage does not use up a session's length and log it out before the client can see
   * whether it survived.
   */
  steps: number;
}

const appResponses = new Counter(METRIC_APP_RESPONSES);
const sessionStarted = new Counter(METRIC_SESSION_STARTED);
const sessionLost = new Counter(METRIC_SESSION_LOST);

let session: Session | undefined;
/** Logins that succeeded in this VU; the next session is number opened + 1. */
let opened = 0;

export function hasSession(): boolean {
  return session !== undefined;
}

/** Requests of the current session answered with a 2xx (0 without one). */
export function sessionSteps(): number {
  return session === undefined ? 0 : session.steps;
}

/** Logs in as a new user with a fresh cookie jar; on failure the VU stays without a session. */
export function login(config: ScriptConfig): void {
  const id = `${exec.vu.idInTest}-${opened + 1}`;
  const jar = new http.CookieJar();
  const res = http.post(`${config.baseUrl}/login`, JSON.stringify({ user: `user-${id}` }), params(config, id, 'login', jar));
  const replica = record(res, id, 'login');
  if (res.status !== 200) return;
  opened += 1;
  session = { id, jar, known: { ...FRESH_SESSION }, lastReplica: replica, steps: 0 };
  sessionStarted.add(1, { [TAG_SESSION]: id, [TAG_REPLICA]: replica });
}

export function addItem(config: ScriptConfig, sku: string, qty: number): void {
  send(config, 'add-item', { kind: 'write', qty }, (p) => http.post(`${config.baseUrl}/cart/items`, JSON.stringify({ sku, qty }), p));
}

export function readCart(config: ScriptConfig): void {
  send(config, 'cart', { kind: 'read' }, (p) => http.get(`${config.baseUrl}/cart`, p));
}

/** Ends the session whatever the answer (the user leaves); a 401 session_unknown still counts as lost. */
export function logout(config: ScriptConfig): void {
  send(config, 'logout', { kind: 'none' }, (p) => http.post(`${config.baseUrl}/logout`, null, p));
  session = undefined;
}

type Sender = (p: ReturnType<typeof params>) => RefinedResponse<ResponseType | undefined>;

function send(config: ScriptConfig, name: RequestName, expectation: Expectation, sender: Sender): void {
  const s = session;
  if (s === undefined) return;
  const res = sender(params(config, s.id, name, s.jar));
  const replica = record(res, s.id, name);
  const judgement = judge(s.known, expectation, res.status, parseBody(res));
  if (judgement.outcome === 'lost') {
    // Counted once: the session is dropped here and the VU logs in again on its next iteration.
    sessionLost.add(1, { [TAG_SESSION]: s.id, [TAG_REPLICA]: replica, [TAG_LAST_REPLICA]: s.lastReplica, [TAG_REASON]: judgement.reason });
    session = undefined;
    return;
  }
  if (judgement.outcome === 'continuous') s.known = judgement.known;
  if (res.status >= 200 && res.status <= 299) {
    s.lastReplica = replica;
    s.steps += 1;
  }
}

function params(config: ScriptConfig, id: string, name: RequestName, jar: CookieJar): { headers: Record<string, string>; tags: Record<string, string>; timeout: string; jar: CookieJar } {
  return {
    headers: { 'Content-Type': 'application/json' },
    tags: { [TAG_SESSION]: id, name },
    timeout: config.requestTimeout,
    jar,
  };
}

/** Counts the response in app_responses and returns the replica that answered ("none" if none did). */
function record(res: RefinedResponse<ResponseType | undefined>, id: string, name: RequestName): string {
  const replica = res.status === 0 ? NO_REPLICA : (headerValue(res.headers, 'X-Replica') ?? NO_REPLICA);
  appResponses.add(1, { [TAG_REPLICA]: replica, [TAG_SESSION]: id, status: String(res.status), name });
  return replica;
}

function parseBody(res: RefinedResponse<ResponseType | undefined>): unknown {
  if (typeof res.body !== 'string' || res.body === '') return undefined;
  try {
    return JSON.parse(res.body) as unknown;
  } catch {
    return undefined;
  }
}
