import { createServer as createHttpServer } from 'node:http';
import { createServer, type AddressInfo, type Server } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { planCluster } from '../plan/cluster-plan.ts';
import { appReady, httpReady, loadBalancerReady, memberReady, redisPingReady, runtimeApiReady } from './readiness.ts';

const servers: Array<{ close: () => unknown }> = [];
afterEach(() => {
  for (const server of servers.splice(0)) server.close();
});

/** An HTTP server answering each path with the status `statuses` gives it (404 otherwise). */
async function httpServer(statuses: Record<string, number>): Promise<number> {
  const server = createHttpServer((req, res) => res.writeHead(statuses[req.url ?? ''] ?? 404).end());
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return (server.address() as AddressInfo).port;
}

/** A TCP server that answers whatever it is sent with `answer`, then closes. */
async function tcpServer(answer: string): Promise<number> {
  const server: Server = createServer((socket) => socket.once('data', () => socket.end(answer)));
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return (server.address() as AddressInfo).port;
}

describe('httpReady', () => {
  it('passes on 200 and says which status it got otherwise', async () => {
    const port = await httpServer({ '/readyz': 200, '/starting': 503 });
    await expect(httpReady('/readyz', port, 1000).attempt('127.0.0.1')).resolves.toBeUndefined();
    await expect(httpReady('/starting', port, 1000).attempt('127.0.0.1')).rejects.toThrow('status 503');
    expect(httpReady('/starting', port, 1000).timedOut).toBe('/starting did not answer 200 within 1000 ms');
  });

  it('fails an attempt when nothing listens', async () => {
    const port = await httpServer({});
    servers.pop()?.close();
    await expect(httpReady('/readyz', port, 1000).attempt('127.0.0.1')).rejects.toThrow();
  });
});

describe('appReady', () => {
  it("probes the app's /readyz", async () => {
    const port = await httpServer({ '/readyz': 200 });
    const check = appReady(30_000, { port });
    await expect(check.attempt('127.0.0.1')).resolves.toBeUndefined();
    expect(check).toMatchObject({ timeoutMs: 30_000, timedOut: '/readyz did not answer 200 within 30000 ms' });
  });
});

describe('redisPingReady', () => {
  it('passes when PING is answered with PONG, not with an error', async () => {
    await expect(redisPingReady(await tcpServer('+PONG\r\n'), 1000).attempt('127.0.0.1')).resolves.toBeUndefined();
    await expect(redisPingReady(await tcpServer('-LOADING Redis is loading\r\n'), 1000).attempt('127.0.0.1')).rejects.toThrow();
  });
});

describe('runtimeApiReady', () => {
  it('passes once the runtime API lists the server slots of the backend', async () => {
    const state = '1\n# be_id be_name srv_id srv_name srv_addr srv_op_state srv_admin_state\n3 app 1 app1 - 0 32\n';
    await expect(runtimeApiReady(await tcpServer(state), 'app', 1000).attempt('127.0.0.1')).resolves.toBeUndefined();
    await expect(runtimeApiReady(await tcpServer("Can't find backend.\n"), 'app', 1000).attempt('127.0.0.1')).rejects.toThrow();
  });
});

describe('the checks of a cluster', () => {
  const plan = planCluster({ runId: 'r1', architecture: 'stateless', replicas: 1, readyTimeoutMs: 20_000 });

  it("give the data tier a PING and a replica (or anything else) its /readyz, within the plan's time", () => {
    expect(memberReady('datastore', plan).timedOut).toBe('PING was not answered within 20000 ms');
    expect(memberReady('app', plan).timedOut).toBe('/readyz did not answer 200 within 20000 ms');
  });

  it('give the load balancer 10 s to answer on its runtime API', () => {
    expect(loadBalancerReady()).toMatchObject({ timeoutMs: 10_000, timedOut: 'the runtime API did not answer within 10 s' });
  });
});
