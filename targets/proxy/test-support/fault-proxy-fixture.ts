/**
 * The fault proxy in-process for tests and the bench: its API on 127.0.0.1 (a free port), calls to
 * it, and proxies created on free ports in front of a local upstream.
 */
import { createLogger } from '../../app/log.ts';
import { request, type HttpResponse } from '../../app/test-support/http-client.ts';
import { startApiServer, type ApiServer } from '../api-server.ts';
import { ProxyRegistry } from '../proxy-registry.ts';

export interface FaultProxyFixture {
  api: ApiServer;
  registry: ProxyRegistry;
  call(method: string, path: string, body?: unknown): Promise<HttpResponse>;
  /** Creates an enabled proxy to 127.0.0.1:upstreamPort; returns the port it listens on. */
  createProxy(name: string, upstreamPort: number): Promise<number>;
  /** Adds a toxic (the API's POST body); fails the test unless the API answers 200. */
  addToxic(proxy: string, toxic: Record<string, unknown>): Promise<void>;
  removeToxic(proxy: string, toxic: string): Promise<void>;
  close(): Promise<void>;
}

export async function startFaultProxyFixture(): Promise<FaultProxyFixture> {
  const registry = new ProxyRegistry();
  const api = await startApiServer({ host: '127.0.0.1', port: 0, registry, log: createLogger('fault-proxy-test', () => undefined) });
  const call = (method: string, path: string, body?: unknown): Promise<HttpResponse> => request(api.port, method, path, body === undefined ? {} : { body });
  const expectStatus = (response: HttpResponse, status: number, what: string): HttpResponse => {
    if (response.status !== status) throw new Error(`${what}: ${response.status} ${response.text}`);
    return response;
  };
  return {
    api,
    registry,
    call,
    async createProxy(name, upstreamPort) {
      const created = expectStatus(await call('POST', '/proxies', { name, listen: '127.0.0.1:0', upstream: `127.0.0.1:${upstreamPort}` }), 201, `create proxy ${name}`);
      return Number((created.json as { listen: string }).listen.split(':').pop());
    },
    async addToxic(proxy, toxic) {
      expectStatus(await call('POST', `/proxies/${proxy}/toxics`, toxic), 200, `add toxic to ${proxy}`);
    },
    async removeToxic(proxy, toxic) {
      expectStatus(await call('DELETE', `/proxies/${proxy}/toxics/${toxic}`), 204, `remove toxic ${toxic}`);
    },
    async close() {
      await api.close();
      await registry.closeAll();
    },
  };
}
