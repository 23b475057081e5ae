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
export async function startTcpServer(onConnection: (socket: net.Socket) => void): Promise<LocalServer> {
  const sockets = new Set<net.Socket>();
  let accepted = 0;
  const server = net.createServer((socket) => {
    accepted += 1;
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => undefined);
    onConnection(socket);
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

/** Echoes what it receives. */
export function startEchoServer(): Promise<LocalServer> {
  return startTcpServer((socket) => socket.pipe(socket));
}

/** Sends `payload` in one write to each client, then ends its side. */
export function startSendingServer(payload: Buffer): Promise<LocalServer> {
  return startTcpServer((socket) => socket.end(payload));
}

/** Answers every request 200 "ok", keeping connections alive. */
export async function startHttpServer(): Promise<LocalServer> {
  let accepted = 0;
  const server = http.createServer({ keepAliveTimeout: 60_000 }, (_req, res) => {
    res.writeHead(200, { 'Content-Type': 'text/plain', 'Content-Length': '2' }).end('ok');
  });
  server.on('connection', () => (accepted += 1));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as AddressInfo).port,
    get accepted() {
      return accepted;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
