/**
 * The application as a value: createApp(config) builds it, start() listens and begins readiness
 * checks, stop() shuts it down gracefully. main.ts wires it to the environment and signals; tests
 * run it in-process on port 0.
 *
 * Graceful stop: /readyz answers 503 at once; after SHUTDOWN_DELAY_MS (default 0) the listener
 * closes, idle keep-alive connections are closed, in-flight requests finish (their connections
 * close after the response), then the store closes. Whatever is still open at SHUTDOWN_GRACE_MS is
 * cut and the stop reports `forced`.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import type { BankStore } from './bank/bank-store.ts';
import { createBankStore } from './bank/create-bank-store.ts';
import type { AppConfig } from './config.ts';
import { HttpError, parseCookies, type Reply } from './http.ts';
import { createLogger, errorMessage, type LogSink, type Logger } from './log.ts';
import { Readiness, type ReadinessOptions } from './readiness.ts';
import { bankRoutes } from './routes/bank.ts';
import { cartRoutes } from './routes/cart.ts';
import { healthRoutes } from './routes/health.ts';
import { Router, type RequestContext, type Route } from './routes/router.ts';
import { sessionRoutes } from './routes/session.ts';
import { createSessionStore } from './stores/create-store.ts';
import { StoreUnavailableError, type SessionStore } from './stores/session-store.ts';

/** Longer than the load balancer's idle and server timeouts (60 s / 65 s in targets/lb), so the app never closes a reused connection first. */
export const KEEP_ALIVE_TIMEOUT_MS = 75_000;

export interface AppDeps {
  /** Replaces the store the config names (tests wrap one to slow it down). */
  store?: SessionStore;
  /** Replaces the bank store the config names (tests tune one). */
  bank?: BankStore;
  logSink?: LogSink;
  readiness?: ReadinessOptions;
  /** Extra route modules (a later domain, or a test's). */
  routes?: readonly Route[];
}

export interface StopResult {
  /** true when connections had to be cut at the grace deadline. */
  forced: boolean;
  durationMs: number;
}

export interface App {
  readonly config: AppConfig;
  readonly server: Server;
  readonly store: SessionStore;
  readonly bank: BankStore;
  readonly readiness: Readiness;
  readonly log: Logger;
  /** Listens on config.host:config.port; resolves with the bound address (port 0 → a free one). */
  start(): Promise<AddressInfo>;
  /** Idempotent: a second call returns the first call's promise. */
  stop(): Promise<StopResult>;
}

export function createApp(config: AppConfig, deps: AppDeps = {}): App {
  const log = createLogger(config.replica, deps.logSink);
  const store = deps.store ?? createSessionStore(config, log);
  const bank = deps.bank ?? createBankStore(config, log);
  const readiness = new Readiness(
    [
      { name: `store(${store.kind})`, check: () => store.ping() },
      // event-log: reachable and replay done.
      { name: `bank(${bank.kind})`, check: () => bank.ping() },
    ],
    log,
    deps.readiness,
  );
  const router = new Router([
    ...healthRoutes({ readiness, store: config.store }),
    ...sessionRoutes({ store }),
    ...cartRoutes({ store }),
    ...bankRoutes({ bank }),
    ...(deps.routes ?? []),
  ]);

  const server = createServer();
  server.keepAliveTimeout = KEEP_ALIVE_TIMEOUT_MS;
  server.headersTimeout = KEEP_ALIVE_TIMEOUT_MS + 1000;

  // Requests in progress per connection, so shutdown closes idle connections and lets busy ones finish.
  const active = new Map<Socket, number>();
  let draining = false;
  let closing = false;
  let stopping: Promise<StopResult> | undefined;

  server.on('connection', (socket: Socket) => {
    active.set(socket, 0);
    socket.once('close', () => active.delete(socket));
  });

  server.on('request', (req: IncomingMessage, res: ServerResponse) => {
    const socket = req.socket;
    active.set(socket, (active.get(socket) ?? 0) + 1);
    const startedAt = performance.now();
    let done = false;
    const finished = (): void => {
      if (done) return;
      done = true;
      const left = Math.max(0, (active.get(socket) ?? 1) - 1);
      if (active.has(socket)) active.set(socket, left);
      if (config.logRequests) {
        log.info('request', { method: req.method, path: req.url, status: res.statusCode, ms: Math.round(performance.now() - startedAt) });
      }
      // Its response went out with keep-alive before the stop began: close it now that it is idle.
      if (closing && left === 0) setImmediate(() => socket.end());
    };
    res.once('finish', finished);
    res.once('close', finished);
    void handle(req, res);
  });

  // Malformed HTTP never reaches 'request'; answer it ourselves so it too carries X-Replica.
  server.on('clientError', (error: NodeJS.ErrnoException, socket: Socket) => {
    if (error.code === 'ECONNRESET' || !socket.writable) {
      socket.destroy();
      return;
    }
    const timeout = error.code === 'ERR_HTTP_REQUEST_TIMEOUT';
    const body = JSON.stringify(timeout ? { error: 'request_timeout' } : { error: 'bad_request', detail: 'malformed HTTP request' });
    socket.end(
      `HTTP/1.1 ${timeout ? '408 Request Timeout' : '400 Bad Request'}\r\n` +
        `Connection: close\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\n` +
        `X-Replica: ${config.replica}\r\nCache-Control: no-store\r\n\r\n${body}`,
    );
  });

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    res.setHeader('X-Replica', config.replica);
    res.setHeader('Cache-Control', 'no-store');
    if (draining) res.setHeader('Connection', 'close');
    let reply: Reply;
    try {
      reply = await route(req);
    } catch (error) {
      reply = errorReply(error, req);
    }
    send(res, reply);
  }

  async function route(req: IncomingMessage): Promise<Reply> {
    const method = req.method ?? 'GET';
    const target = req.url ?? '/';
    const q = target.indexOf('?');
    const path = q >= 0 ? target.slice(0, q) : target;
    const match = router.match(method, path);
    if (match.kind === 'none') return new HttpError(404, 'not_found').toReply();
    if (match.kind === 'wrong_method') {
      return new HttpError(405, 'method_not_allowed', `use ${match.allowed.join(', ')}`, { Allow: match.allowed.join(', ') }).toReply();
    }
    const ctx: RequestContext = {
      method,
      path,
      query: new URLSearchParams(q >= 0 ? target.slice(q + 1) : ''),
      params: match.params,
      headers: req.headers,
      cookies: parseCookies(req.headers.cookie),
      req,
    };
    return match.route.handle(ctx);
  }

  function errorReply(error: unknown, req: IncomingMessage): Reply {
    if (error instanceof HttpError) return error.toReply();
    if (error instanceof StoreUnavailableError) {
      return { status: 503, body: { error: 'store_unavailable', detail: error.message }, headers: { 'Retry-After': '1' } };
    }
    log.error('request_failed', { method: req.method, path: req.url, error });
    return { status: 500, body: { error: 'internal', detail: errorMessage(error) } };
  }

  function send(res: ServerResponse, reply: Reply): void {
    if (res.headersSent || res.destroyed) return;
    for (const [name, value] of Object.entries(reply.headers ?? {})) if (value !== undefined) res.setHeader(name, value);
    if (reply.status === 204 || reply.body === undefined) {
      res.writeHead(reply.status);
      res.end();
      return;
    }
    const body = JSON.stringify(reply.body);
    res.writeHead(reply.status, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(body) });
    res.end(body);
  }

  async function start(): Promise<AddressInfo> {
    log.info('starting', {
      store: config.store,
      port: config.port,
      host: config.host ?? null,
      node: process.version,
      pid: process.pid,
      shutdownGraceMs: config.shutdownGraceMs,
      shutdownDelayMs: config.shutdownDelayMs,
    });
    // The event-log store replays now; it tells readiness when it is done rather than waiting for a poll.
    bank.start({ onReadinessChange: () => void readiness.recheck().catch(() => undefined) });
    if (config.listenWhenReady) {
      readiness.start().catch(() => undefined);
      log.info('waiting_for_ready', { reason: 'the port opens once the store is reachable' });
      await readiness.whenReady();
    }
    await new Promise<void>((resolve, reject) => {
      const onError = (error: Error): void => reject(error);
      server.once('error', onError);
      const listening = (): void => {
        server.off('error', onError);
        resolve();
      };
      if (config.host === undefined) server.listen(config.port, listening);
      else server.listen(config.port, config.host, listening);
    });
    server.on('error', (error) => log.error('server_error', { error }));
    const address = server.address() as AddressInfo;
    log.info('listening', { address: address.address, port: address.port, store: config.store });
    await readiness.start();
    return address;
  }

  function stop(): Promise<StopResult> {
    stopping ??= shutdown();
    return stopping;
  }

  async function shutdown(): Promise<StopResult> {
    const began = performance.now();
    const deadline = began + config.shutdownGraceMs;
    draining = true;
    readiness.drain();
    log.info('shutdown_begin', {
      connections: active.size,
      inFlight: [...active.values()].reduce((sum, n) => sum + n, 0),
      graceMs: config.shutdownGraceMs,
      delayMs: config.shutdownDelayMs,
    });

    if (config.shutdownDelayMs > 0) await sleep(Math.min(config.shutdownDelayMs, Math.max(0, deadline - performance.now())));

    closing = true;
    const closed = server.listening ? new Promise<void>((resolve) => server.close(() => resolve())) : Promise.resolve();
    for (const [socket, requests] of active) if (requests === 0) socket.destroy();

    let forced = false;
    const timedOut = await raceTimeout(closed, Math.max(0, deadline - performance.now()));
    if (timedOut) {
      forced = true;
      log.warn('shutdown_forced', { connections: active.size, inFlight: [...active.values()].reduce((sum, n) => sum + n, 0) });
      for (const socket of active.keys()) socket.destroy();
      await raceTimeout(closed, 1000);
    }

    readiness.stopPolling();
    for (const closing of [store, bank]) {
      try {
        await closing.close();
      } catch (error) {
        log.warn('store_close_failed', { store: closing.kind, error });
      }
    }
    const durationMs = Math.round(performance.now() - began);
    log.info('shutdown_done', { forced, durationMs });
    return { forced, durationMs };
  }

  return { config, server, store, bank, readiness, log, start, stop };
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Waits for the promise at most ms; true when the time ran out first. */
async function raceTimeout(promise: Promise<void>, ms: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<boolean>((resolve) => {
    timer = setTimeout(() => resolve(true), ms);
  });
  try {
    return await Promise.race([promise.then(() => false), timeout]);
  } finally {
    clearTimeout(timer);
  }
}
