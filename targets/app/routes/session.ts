/** Login creates a session and sets the `sid` cookie; logout destroys it. */
import { HttpError, readJson, requireObject, requireString } from '../http.ts';
import { isWellFormedSessionId } from '../stores/session-id.ts';
import type { SessionStore } from '../stores/session-store.ts';
import type { RequestContext, Route } from './router.ts';

export const SESSION_COOKIE = 'sid';
export const MAX_USER_LENGTH = 128;

export const sessionUnknown = (): HttpError => new HttpError(401, 'session_unknown');

/** The session id the request carries, or 401 session_unknown when it carries none usable. */
export function requireSessionId(ctx: RequestContext): string {
  const sid = ctx.cookies.get(SESSION_COOKIE);
  if (sid === undefined || !isWellFormedSessionId(sid)) throw sessionUnknown();
  return sid;
}

export function sessionRoutes({ store }: { store: SessionStore }): Route[] {
  return [
    {
      method: 'POST',
      path: '/login',
      handle: async (ctx) => {
        const user = requireString(requireObject(await readJson(ctx.req)), 'user', MAX_USER_LENGTH);
        const session = await store.create(user);
        return {
          status: 200,
          body: { sid: session.sid, user: session.user },
          headers: { 'Set-Cookie': `${SESSION_COOKIE}=${session.sid}; Path=/; HttpOnly` },
        };
      },
    },
    {
      method: 'POST',
      path: '/logout',
      handle: async (ctx) => {
        const removed = await store.destroy(requireSessionId(ctx));
        if (!removed) throw sessionUnknown();
        return { status: 204, headers: { 'Set-Cookie': `${SESSION_COOKIE}=; Path=/; HttpOnly; Max-Age=0` } };
      },
    },
  ];
}
