/**
 * The HTTP server of the API: routing, request bodies, JSON answers, and errors as Toxiproxy sends
 * them (`{"error": message, "status": code}`). Like Toxiproxy it refuses browsers (a User-Agent
 * starting with `Mozilla/`), so a web page cannot reconfigure the proxy through a user's browser.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Logger } from '../app/log.ts';
import { ApiError, badRequestBody } from './api-error.ts';
import { apiRoutes, type ApiReply, type Route } from './api-routes.ts';
import type { ProxyRegistry } from './proxy-registry.ts';

export const MAX_BODY_BYTES = 1024 * 1024;

export interface ApiServer {
  readonly port: number;
  /** http://host:port, for clients. */
  readonly url: string;
  close(): Promise<void>;
}

export interface ApiServerOptions {
  host: string;
  port: number;
  registry: ProxyRegistry;
  log: Logger;
}

export async function startApiServer(options: ApiServerOptions): Promise<ApiServer> {
  const routes = apiRoutes(options.registry, options.log);
  const server = http.createServer((req, res) => {
    void answer(routes, req).then((reply) => send(res, reply));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;
  const host = options.host.includes(':') ? `[${options.host}]` : options.host;
  return {
    port,
    url: `http://${host}:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

async function answer(routes: readonly Route[], req: http.IncomingMessage): Promise<ApiReply & { text?: string }> {
  if ((req.headers['user-agent'] ?? '').startsWith('Mozilla/')) return { status: 403, text: 'User agent not allowed\n' };
  const path = (req.url ?? '/').split('?')[0] ?? '/';
  for (const route of routes) {
    const match = route.path.exec(path);
    if (match === null) continue;
    const handler = route.methods[req.method ?? ''];
    if (handler === undefined) return errorReply(new ApiError(405, `method ${req.method ?? ''} not allowed; allowed: ${Object.keys(route.methods).join(', ')}`));
    try {
      const params = match.slice(1).map((part) => decodeURIComponent(part));
      return await handler({ params, body: () => readJsonBody(req) });
    } catch (error) {
      return errorReply(error instanceof ApiError ? error : new ApiError(500, error instanceof Error ? error.message : String(error)));
    }
  }
  return errorReply(new ApiError(404, `no such endpoint: ${req.method ?? ''} ${path}`));
}

function errorReply(error: ApiError): ApiReply {
  return { status: error.status, body: error.toJSON() };
}

function send(res: http.ServerResponse, reply: ApiReply & { text?: string }): void {
  if (reply.text !== undefined) {
    res.writeHead(reply.status, { 'Content-Type': 'text/plain; charset=utf-8' }).end(reply.text);
  } else if (reply.body === undefined) {
    res.writeHead(reply.status).end();
  } else {
    res.writeHead(reply.status, { 'Content-Type': 'application/json' }).end(JSON.stringify(reply.body));
  }
}

/** The whole body as JSON; Toxiproxy's words for an empty one ("EOF") and for bad JSON. */
async function readJsonBody(req: http.IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    const buffer = chunk as Buffer;
    size += buffer.length;
    if (size > MAX_BODY_BYTES) throw badRequestBody(`larger than ${MAX_BODY_BYTES} bytes`);
    chunks.push(buffer);
  }
  const text = Buffer.concat(chunks).toString('utf8');
  if (text.trim() === '') throw badRequestBody('EOF');
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    throw badRequestBody(error instanceof Error ? error.message : String(error));
  }
}
