/**
 * One HTTP/1.1 exchange over a VU's own undici Agent (its own keep-alive connections, as each k6 VU
 * has its own transport), with k6's timing phases measured from undici's dispatch hooks:
 * blocked (until a connection is ready), connecting (TCP connect), sending, waiting (to first
 * byte), receiving. The whole exchange is bounded by the request timeout and by the VU's interrupt
 * signal; a hung server can never hold a VU longer than that.
 */
import { Agent, buildConnector, type Dispatcher } from 'undici';
import { now } from '../runtime/clock.ts';
import { InterruptError, type Interrupter } from '../runtime/interrupt.ts';

export interface Timings {
  blocked: number;
  connecting: number;
  tls_handshaking: number;
  sending: number;
  waiting: number;
  receiving: number;
  duration: number;
}

export interface WireRequest {
  method: string;
  url: URL;
  headers: Array<[string, string]>;
  body: Uint8Array | undefined;
  timeoutMs: number;
}

export interface WireError {
  /** Go-style error text, as k6 reports it. */
  message: string;
  code: number;
}

export interface WireResponse {
  status: number;
  statusText: string;
  /** Header pairs as received. */
  headers: Array<[string, string]>;
  body: Buffer;
  timings: Timings;
  startTime: number;
  endTime: number;
  error: WireError | undefined;
  remoteIp: string;
  remotePort: number;
  bytesSent: number;
  bytesReceived: number;
}

interface ConnectRecord {
  start: number;
  end: number;
}

/** A VU's connections. */
export class VuTransport {
  readonly agent: Agent;
  private lastConnect: ConnectRecord | undefined;
  private connectSeq = 0;

  constructor() {
    const connector = buildConnector({ timeout: 60_000 });
    this.agent = new Agent({
      keepAliveTimeout: 60_000,
      keepAliveMaxTimeout: 600_000,
      pipelining: 1,
      connect: (options, callback) => {
        const start = now();
        return connector(options, (...args) => {
          this.lastConnect = { start, end: now() };
          this.connectSeq++;
          callback(...args);
        });
      },
    });
  }

  async close(): Promise<void> {
    await this.agent.destroy().catch(() => undefined);
  }

  send(req: WireRequest, interrupt: Interrupter | undefined): Promise<WireResponse> {
    if (interrupt?.aborted) return Promise.reject(new InterruptError());
    return new Promise<WireResponse>((resolve, reject) => {
      const exchange = new Exchange(this, req, interrupt, resolve, reject);
      try {
        this.agent.dispatch(
          {
            origin: req.url.origin,
            path: req.url.pathname + req.url.search,
            method: req.method as Dispatcher.HttpMethod,
            headers: req.headers.flat(),
            body: req.body && req.body.length > 0 ? req.body : null,
            headersTimeout: req.timeoutMs + 1000,
            bodyTimeout: req.timeoutMs + 1000,
          },
          exchange as unknown as Dispatcher.DispatchHandler,
        );
      } catch (error) {
        exchange.onError(error as Error);
      }
    });
  }

  /** Connect timing of the connection made for a request, if one was made since `seq`. */
  connectSince(seq: number): ConnectRecord | undefined {
    return this.connectSeq !== seq ? this.lastConnect : undefined;
  }

  get seq(): number {
    return this.connectSeq;
  }
}

function headerBytes(headers: ReadonlyArray<readonly [string, string]>): number {
  let n = 0;
  for (const [k, v] of headers) n += k.length + v.length + 4;
  return n;
}

/**
 * One request/response as an undici dispatch handler (methods on a prototype rather than closures:
 * this runs for every request).
 */
class Exchange {
  private settled = false;
  private abortFn: ((reason: Error) => void) | undefined;
  private readonly startTime = now();
  private readonly seqBefore: number;
  private tConnected: number | undefined;
  private tSent: number | undefined;
  private tFirstByte: number | undefined;
  private status = 0;
  private statusText = '';
  private headers: Array<[string, string]> = [];
  private readonly chunks: Buffer[] = [];
  private received = 0;
  private readonly timer: NodeJS.Timeout;
  private readonly onInterrupt: (() => void) | undefined;

  constructor(
    private readonly transport: VuTransport,
    private readonly req: WireRequest,
    private readonly interrupt: Interrupter | undefined,
    private readonly resolve: (r: WireResponse) => void,
    private readonly reject: (e: Error) => void,
  ) {
    this.seqBefore = transport.seq;
    this.timer = setTimeout(() => this.onTimeout(), req.timeoutMs);
    if (interrupt) {
      this.onInterrupt = () => this.interrupted();
      interrupt.on(this.onInterrupt);
    }
  }

  private onTimeout(): void {
    this.finish({ message: 'request timeout', code: 1050 });
    this.abortFn?.(new Error('request timeout'));
  }

  private interrupted(): void {
    if (this.settled) return;
    this.settled = true;
    clearTimeout(this.timer);
    this.abortFn?.(new InterruptError());
    this.reject(new InterruptError());
  }

  private timings(end: number): Timings {
    const connected = this.tConnected ?? end;
    const connect = this.transport.connectSince(this.seqBefore);
    const blocked = Math.max(0, (connect ? connect.start : connected) - this.startTime);
    const connecting = connect ? Math.max(0, connect.end - connect.start) : 0;
    const sentAt = this.tSent ?? connected;
    const sending = Math.max(0, sentAt - connected);
    const firstByte = this.tFirstByte ?? end;
    const waiting = this.tSent === undefined ? 0 : Math.max(0, firstByte - sentAt);
    const receiving = this.tFirstByte === undefined ? 0 : Math.max(0, end - firstByte);
    return { blocked, connecting, tls_handshaking: 0, sending, waiting, receiving, duration: sending + waiting + receiving };
  }

  private finish(error: WireError | undefined): void {
    if (this.settled) return;
    this.settled = true;
    clearTimeout(this.timer);
    if (this.onInterrupt) this.interrupt?.off(this.onInterrupt);
    const endTime = now();
    const req = this.req;
    const ok = error === undefined;
    const body = !ok ? EMPTY : this.chunks.length === 1 ? this.chunks[0]! : Buffer.concat(this.chunks);
    const bytesSent =
      this.tSent === undefined && !ok
        ? 0
        : req.method.length + req.url.pathname.length + req.url.search.length + 11 + headerBytes(req.headers) + 10 + req.url.host.length + (req.body?.length ?? 0);
    this.resolve({
      status: ok ? this.status : 0,
      statusText: ok ? this.statusText : '',
      headers: ok ? this.headers : [],
      body,
      timings: this.timings(endTime),
      startTime: this.startTime,
      endTime,
      error,
      remoteIp: '',
      remotePort: 0,
      bytesSent,
      bytesReceived: this.status > 0 ? headerBytes(this.headers) + 17 + this.statusText.length + this.received : 0,
    });
  }

  onConnect(abort: (reason: Error) => void): void {
    this.tConnected = now();
    this.abortFn = abort;
    if (this.settled) abort(new Error('request abandoned'));
  }

  onRequestSent(): void {
    this.tSent = now();
  }

  onResponseStarted(): void {
    this.tFirstByte ??= now();
  }

  onHeaders(statusCode: number, raw: Buffer[] | string[] | null, _resume: () => void, text: string): boolean {
    this.tFirstByte ??= now();
    this.status = statusCode;
    this.statusText = text;
    const list: Array<[string, string]> = [];
    if (raw) for (let i = 0; i + 1 < raw.length; i += 2) list.push([String(raw[i]), String(raw[i + 1])]);
    this.headers = list;
    return true;
  }

  onData(chunk: Buffer): boolean {
    this.chunks.push(chunk);
    this.received += chunk.length;
    return true;
  }

  onComplete(): void {
    this.finish(undefined);
  }

  onError(error: Error): void {
    this.finish(mapNetworkError(error, this.req));
  }

  onUpgrade(): void {
    this.finish({ message: 'unexpected protocol upgrade', code: 1000 });
  }
}

const EMPTY = Buffer.alloc(0);

const GO_METHOD: Record<string, string> = { GET: 'Get', POST: 'Post', PUT: 'Put', PATCH: 'Patch', DELETE: 'Delete', HEAD: 'Head', OPTIONS: 'Options' };

/** k6's error codes (lib/netext/httpext/error_codes.go) and Go-style messages for Node's errors. */
export function mapNetworkError(error: Error, req: WireRequest): WireError {
  const code = (error as { code?: string }).code ?? '';
  const host = req.url.host;
  const prefix = `${GO_METHOD[req.method] ?? req.method} "${req.url.href}": `;
  switch (code) {
    case 'ECONNREFUSED':
      return { message: `${prefix}dial tcp ${host}: connect: connection refused`, code: 1212 };
    case 'ECONNRESET':
      return { message: `${prefix}read tcp ${host}: read: connection reset by peer`, code: 1220 };
    case 'EPIPE':
      return { message: `${prefix}write tcp ${host}: write: broken pipe`, code: 1201 };
    case 'UND_ERR_CONNECT_TIMEOUT':
    case 'ETIMEDOUT':
      return { message: `${prefix}dial tcp ${host}: i/o timeout`, code: 1211 };
    case 'ENOTFOUND':
      return { message: `${prefix}lookup ${req.url.hostname}: no such host`, code: 1101 };
    case 'EAI_AGAIN':
      return { message: `${prefix}lookup ${req.url.hostname}: temporary failure in name resolution`, code: 1100 };
    case 'UND_ERR_HEADERS_TIMEOUT':
    case 'UND_ERR_BODY_TIMEOUT':
      return { message: 'request timeout', code: 1050 };
    case 'UND_ERR_SOCKET':
    case 'UND_ERR_CLOSED':
      return { message: `${prefix}EOF`, code: 1000 };
    default:
      return { message: `${prefix}${error.message}`, code: 1000 };
  }
}
