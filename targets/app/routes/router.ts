/**
 * Routes are data: a method, a path pattern (`/accounts/:id/deposit`) and a handler. A domain is a
 * module that returns its routes (health, session, cart; later bank), and the server concatenates
 * the modules, so adding a domain touches no existing route.
 */
import type { IncomingHttpHeaders, IncomingMessage } from 'node:http';
import type { Reply } from '../http.ts';

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

export interface RequestContext {
  readonly method: string;
  readonly path: string;
  readonly query: URLSearchParams;
  /** Values of the `:name` segments of the matched pattern, URL-decoded. */
  readonly params: Readonly<Record<string, string>>;
  readonly headers: IncomingHttpHeaders;
  readonly cookies: ReadonlyMap<string, string>;
  /** The raw request, for reading the body (see readJson). */
  readonly req: IncomingMessage;
}

export interface Route {
  readonly method: HttpMethod;
  readonly path: string;
  handle(ctx: RequestContext): Promise<Reply>;
}

export type RouteMatch =
  | { kind: 'found'; route: Route; params: Record<string, string> }
  | { kind: 'wrong_method'; allowed: HttpMethod[] }
  | { kind: 'none' };

interface CompiledRoute {
  route: Route;
  segments: readonly Segment[];
}

type Segment = { literal: string } | { param: string };

export class Router {
  private readonly routes: CompiledRoute[] = [];

  constructor(routes: Iterable<Route> = []) {
    for (const route of routes) this.add(route);
  }

  add(route: Route): this {
    const duplicate = this.routes.find((r) => r.route.method === route.method && r.route.path === route.path);
    if (duplicate !== undefined) throw new Error(`route ${route.method} ${route.path} is defined twice`);
    this.routes.push({ route, segments: compile(route.path) });
    return this;
  }

  match(method: string, path: string): RouteMatch {
    const parts = splitPath(path);
    if (parts === undefined) return { kind: 'none' };
    const allowed: HttpMethod[] = [];
    for (const compiled of this.routes) {
      const params = matchSegments(compiled.segments, parts);
      if (params === undefined) continue;
      if (compiled.route.method === method) return { kind: 'found', route: compiled.route, params };
      allowed.push(compiled.route.method);
    }
    return allowed.length > 0 ? { kind: 'wrong_method', allowed } : { kind: 'none' };
  }
}

function compile(pattern: string): Segment[] {
  if (!pattern.startsWith('/')) throw new Error(`route path ${pattern} must start with /`);
  return pattern
    .split('/')
    .slice(1)
    .map((part) => (part.startsWith(':') ? { param: part.slice(1) } : { literal: part }));
}

/** Path segments, decoded; undefined for undecodable escapes. A trailing slash is not ignored. */
function splitPath(path: string): string[] | undefined {
  try {
    return path.split('/').slice(1).map((part) => decodeURIComponent(part));
  } catch {
    return undefined;
  }
}

function matchSegments(segments: readonly Segment[], parts: readonly string[]): Record<string, string> | undefined {
  if (segments.length !== parts.length) return undefined;
  const params: Record<string, string> = {};
  for (let i = 0; i < segments.length; i += 1) {
    const segment = segments[i];
    const part = parts[i];
    if (segment === undefined || part === undefined) return undefined;
    if ('literal' in segment) {
      if (segment.literal !== part) return undefined;
    } else {
      if (part === '') return undefined;
      params[segment.param] = part;
    }
  }
  return params;
}
