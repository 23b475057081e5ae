/**
 * A tiny reverse proxy on 127.0.0.1 in front of one app: it forwards everything until `goStale()`,
 * after which it answers GET /cart itself with an empty cart from replica "stale" — a replica whose
 * state is behind what the clients wrote, without forgetting the sessions.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface StaleProxy {
  port: number;
  goStale(): void;
  close(): Promise<void>;
}

export async function startStaleProxy(targetPort: number): Promise<StaleProxy> {
  let stale = false;
  const agent = new http.Agent({ keepAlive: true });
  const server = http.createServer((req, res) => {
    if (stale && req.method === 'GET' && req.url === '/cart') {
      res.writeHead(200, { 'Content-Type': 'application/json', 'X-Replica': 'stale' });
      res.end(JSON.stringify({ items: [], count: 0, version: 0 }));
      return;
    }
    const upstream = http.request({ host: '127.0.0.1', port: targetPort, method: req.method, path: req.url, headers: req.headers, agent }, (answer) => {
      res.writeHead(answer.statusCode ?? 502, answer.headers);
      answer.pipe(res);
    });
    upstream.on('error', () => res.destroy());
    req.pipe(upstream);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as AddressInfo).port,
    goStale: () => {
      stale = true;
    },
    close: async () => {
      server.closeAllConnections();
      agent.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
