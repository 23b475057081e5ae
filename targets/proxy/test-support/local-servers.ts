/** TCP and HTTP servers on 127.0.0.1 for the proxy's tests and bench, each closed with every socket it holds. */
import http from 'node:http';
import net from 'node:net';
import type { AddressInfo } from 'node:net';

export interface LocalServer {
  port: number;
  /** Connections accepted so far. */
  readonly accepted: number;
  close(): Promise<void>;
}

/** A TCP server that hands each connection to `onConnection`. */
export function startTcpServer(onConnection: (socket: net.Socket) => void): Promise<LocalServer> {
  return serveLocally(net.createServer(onConnection));
}

/** Echoes what it receives. */
export function startEchoServer(): Promise<LocalServer> {
  return startTcpServer((socket) => socket.pipe(socket));
}

/** Sends `payload` in one write to each client, then ends its side. */
export function startSendingServer(payload: Buffer): Promise<LocalServer> {
  return startTcpServer((socket) => socket.end(payload));
}

/** Answers every request 200 "ok", keeping connections alive. */
export function startHttpServer(): Promise<LocalServer> {
  return serveLocally(
    http.createServer({ keepAliveTimeout: 60_000 }, (_req, res) => {
      res.writeHead(200, { 'Content-Type': 'text/plain', 'Content-Length': '2' }).end('ok');
    }),
  );
}

/** Listens on 127.0.0.1 (a free port), counts connections, and closes with every socket it holds. */
async function serveLocally(server: net.Server): Promise<LocalServer> {
  const sockets = new Set<net.Socket>();
  let accepted = 0;
  server.on('connection', (socket: net.Socket) => {
    accepted += 1;
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => undefined);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as AddressInfo).port,
    get accepted() {
      return accepted;
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}
