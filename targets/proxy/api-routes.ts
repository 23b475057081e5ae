/**
 * Toxiproxy's HTTP API over the registry: each route's method, path and answer (status and JSON
 * body) as Toxiproxy gives them — 201 for a created proxy or a populate, 200 for a created toxic
 * (sic), 204 for deletions and reset.
 */
import type { Logger } from '../app/log.ts';
import { ApiError, badRequestBody, missingField } from './api-error.ts';
import { optionalBoolean, optionalString, requireJsonObject } from './json-input.ts';
import type { FaultProxy } from './proxy.ts';
import { readProxyInput, type ProxyRegistry } from './proxy-registry.ts';
import { parseNewToxic, parseToxicUpdate, toxicJson } from './toxic.ts';

/** What GET /version reports: the Toxiproxy API this one follows, marked as this implementation. */
export const API_VERSION = '2.12.0+node-fault-proxy';

export interface ApiRequest {
  /** The path's parameters in order: proxy name, then toxic name. */
  params: readonly string[];
  body(): Promise<unknown>;
}

export interface ApiReply {
  status: number;
  body?: unknown;
}

type Handler = (request: ApiRequest) => Promise<ApiReply>;

export interface Route {
  path: RegExp;
  methods: Readonly<Record<string, Handler>>;
}

const NAME = '([^/]+)';

export function apiRoutes(registry: ProxyRegistry, log: Logger): Route[] {
  const proxyOf = (request: ApiRequest): FaultProxy => registry.get(request.params[0] ?? '');
  const toxicName = (request: ApiRequest): string => request.params[1] ?? '';

  const updateProxy: Handler = async (request) => {
    const current = proxyOf(request);
    const input = requireJsonObject(await request.body(), 'a proxy');
    const proxy = await registry.update(current.name, {
      listen: optionalString(input, 'listen') ?? current.listen,
      upstream: optionalString(input, 'upstream') ?? current.upstream,
      enabled: optionalBoolean(input, 'enabled') ?? current.enabled,
    });
    log.info('proxy_updated', { proxy: proxy.name, listen: proxy.listen, upstream: proxy.upstream, enabled: proxy.enabled });
    return { status: 200, body: proxy.toJSON() };
  };

  const updateToxic: Handler = async (request) => {
    const proxy = proxyOf(request);
    const toxic = parseToxicUpdate(proxy.getToxic(toxicName(request)), await request.body());
    proxy.updateToxic(toxic);
    log.info('toxic_updated', { proxy: proxy.name, ...toxicJson(toxic) });
    return { status: 200, body: toxicJson(toxic) };
  };

  return [
    {
      path: /^\/proxies$/,
      methods: {
        GET: async () => ({ status: 200, body: Object.fromEntries(registry.list().map((proxy) => [proxy.name, proxy.toJSON()])) }),
        POST: async (request) => {
          const input = readProxyInput(await request.body());
          if (input.name === '') throw missingField('name');
          if (input.upstream === '') throw missingField('upstream');
          const proxy = await registry.create(input);
          log.info('proxy_created', { proxy: proxy.name, listen: proxy.listen, upstream: proxy.upstream, enabled: proxy.enabled });
          return { status: 201, body: proxy.toJSON() };
        },
      },
    },
    {
      path: /^\/populate$/,
      methods: {
        POST: async (request) => {
          const body = await request.body();
          if (!Array.isArray(body)) throw badRequestBody('expected a JSON array of proxies');
          const inputs = body.map(readProxyInput);
          const applied: FaultProxy[] = [];
          try {
            await registry.populate(inputs, applied);
          } catch (error) {
            if (!(error instanceof ApiError)) throw error;
            // Toxiproxy's populate error carries the proxies done before it.
            return { status: error.status, body: { ...error.toJSON(), proxies: applied.map((p) => p.toJSON()) } };
          }
          log.info('populated', { proxies: applied.map((p) => p.name) });
          return { status: 201, body: { proxies: applied.map((p) => p.toJSON()) } };
        },
      },
    },
    {
      path: new RegExp(`^/proxies/${NAME}$`),
      methods: {
        GET: async (request) => ({ status: 200, body: proxyOf(request).toJSON() }),
        POST: updateProxy,
        PATCH: updateProxy,
        DELETE: async (request) => {
          await registry.remove(proxyOf(request).name);
          log.info('proxy_deleted', { proxy: request.params[0] });
          return { status: 204 };
        },
      },
    },
    {
      path: new RegExp(`^/proxies/${NAME}/toxics$`),
      methods: {
        GET: async (request) => ({ status: 200, body: proxyOf(request).listToxics().map(toxicJson) }),
        POST: async (request) => {
          const proxy = proxyOf(request);
          const toxic = parseNewToxic(await request.body(), (name) => proxy.findToxic(name) !== undefined);
          proxy.addToxic(toxic);
          log.info('toxic_added', { proxy: proxy.name, ...toxicJson(toxic) });
          return { status: 200, body: toxicJson(toxic) };
        },
      },
    },
    {
      path: new RegExp(`^/proxies/${NAME}/toxics/${NAME}$`),
      methods: {
        GET: async (request) => ({ status: 200, body: toxicJson(proxyOf(request).getToxic(toxicName(request))) }),
        POST: updateToxic,
        PATCH: updateToxic,
        DELETE: async (request) => {
          const proxy = proxyOf(request);
          proxy.removeToxic(toxicName(request));
          log.info('toxic_removed', { proxy: proxy.name, toxic: toxicName(request) });
          return { status: 204 };
        },
      },
    },
    {
      path: /^\/reset$/,
      methods: {
        POST: async () => {
          await registry.reset();
          log.info('reset');
          return { status: 204 };
        },
      },
    },
    {
      path: /^\/version$/,
      methods: { GET: async () => ({ status: 200, body: { version: API_VERSION } }) },
    },
  ];
}
