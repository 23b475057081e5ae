/**
 * Benchmark of the fault proxy (targets/proxy) with no toxic: the latency it adds per hop and its
 * throughput. Three processes, as in a cluster: an HTTP server and a bulk TCP server in a child
 * process, the proxy's bundle (`node proxy.cjs`, as an image would run it) in another, and the
 * client here.
 *
 * - latency: keep-alive HTTP GETs at a modest fixed rate over a few connections, straight to the
 *   server and through the proxy, in alternating rounds so drift hits both alike; p50/p99 from one
 *   HDR histogram per mode (merged over rounds), and the difference = what one hop adds. A third
 *   mode goes through a proxy whose downstream has a `latency 0` toxic: the toxic chain's own cost.
 * - throughput: one connection reading `--mb` MB from the bulk server, direct and through the
 *   proxy (median of 3 runs each).
 *
 *   npm run bench:proxy [-- --rate 1000] [--connections 4] [--seconds 5] [--rounds 3] [--mb 1024]
 *
 * Progress goes to stderr, the table to stdout. The children are killed on exit, on error and on Ctrl-C.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { createInterface } from 'node:readline';
import { LatencyHistogram } from '../harness/analysis/stats/latency-histogram.ts';
import { bundleProxy } from '../targets/proxy/bundle.ts';
import { median } from '../targets/proxy/test-support/tcp-probe.ts';

interface Options {
  rate: number;
  connections: number;
  seconds: number;
  rounds: number;
  mb: number;
}

const DEFAULTS: Options = { rate: 1000, connections: 4, seconds: 5, rounds: 3, mb: 1024 };
const LIMITS: Record<keyof Options, [number, number]> = { rate: [1, 20_000], connections: [1, 100], seconds: [1, 600], rounds: [1, 50], mb: [1, 65_536] };
const USAGE = `usage: npm run bench:proxy -- [--rate N] [--connections N] [--seconds N] [--rounds N] [--mb N]
  --rate         requests per second in all, spread over the connections (default ${DEFAULTS.rate})
  --connections  keep-alive connections (default ${DEFAULTS.connections})
  --seconds      length of each mode's turn in a round (default ${DEFAULTS.seconds})
  --rounds       rounds of direct / proxy / toxic chain (default ${DEFAULTS.rounds})
  --mb           megabytes read per throughput run (default ${DEFAULTS.mb})`;

const HTTP_SERVER = `const http = require('node:http');
const server = http.createServer({ keepAliveTimeout: 600000 }, (req, res) => {
  res.writeHead(200, { 'Content-Type': 'text/plain', 'Content-Length': '2' });
  res.end('ok');
});
server.listen(0, '127.0.0.1', () => console.log(server.address().port));`;

const BULK_SERVER = `const net = require('node:net');
const total = Number(process.argv[1]);
const block = Buffer.alloc(65536, 1);
const server = net.createServer((socket) => {
  socket.on('error', () => {});
  let left = total;
  const pump = () => {
    while (left > 0) {
      const size = Math.min(left, block.length);
      left -= size;
      if (!socket.write(size === block.length ? block : block.subarray(0, size))) return void socket.once('drain', pump);
    }
    socket.end();
  };
  pump();
});
server.listen(0, '127.0.0.1', () => console.log(server.address().port));`;

const children = new Set<ChildProcess>();
let tempDir: string | undefined;

function cleanup(): void {
  for (const child of children) child.kill('SIGKILL');
  children.clear();
  if (tempDir !== undefined) rmSync(tempDir, { recursive: true, force: true });
}
process.on('exit', cleanup);
for (const [signal, code] of [['SIGINT', 130], ['SIGTERM', 143]] as const) process.on(signal, () => process.exit(code));

function parseArgs(argv: readonly string[]): Options | string {
  const options = { ...DEFAULTS };
  for (let i = 0; i < argv.length; i += 2) {
    const name = (argv[i] ?? '').replace(/^--/, '') as keyof Options;
    const limits = LIMITS[name];
    if (limits === undefined) return `${argv[i]}: unknown option`;
    const value = Number(argv[i + 1]);
    if (!Number.isInteger(value) || value < limits[0] || value > limits[1]) return `--${name}: ${JSON.stringify(argv[i + 1] ?? '')} is not allowed; expected an integer from ${limits[0]} to ${limits[1]}`;
    options[name] = value;
  }
  return options;
}

/** Starts `node <args>` and resolves with the first line it prints (a port), or rejects after 15 s. */
function startChild(args: readonly string[], linePattern: RegExp): Promise<{ child: ChildProcess; line: string }> {
  const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'inherit'] });
  children.add(child);
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${args.join(' ').slice(0, 60)}: no ready line within 15 s`)), 15_000);
    const lines = createInterface({ input: child.stdout as NodeJS.ReadableStream });
    lines.on('line', (line) => {
      if (!linePattern.test(line)) return;
      clearTimeout(timer);
      resolve({ child, line });
    });
    child.once('exit', (code) => reject(new Error(`${args.join(' ').slice(0, 60)} exited with ${code}`)));
  });
}

async function api(apiPort: number, method: string, urlPath: string, body: unknown): Promise<{ listen: string }> {
  const response = await fetch(`http://127.0.0.1:${apiPort}${urlPath}`, { method, body: JSON.stringify(body), headers: { 'Content-Type': 'application/json' } });
  if (!response.ok) throw new Error(`${method} ${urlPath}: ${response.status} ${await response.text()}`);
  return (await response.json()) as { listen: string };
}

const portOf = (listen: string): number => Number(listen.split(':').pop());

const REQUEST = Buffer.from('GET / HTTP/1.1\r\nHost: bench\r\n\r\n');

/** One keep-alive connection sending a GET and reading the whole answer (headers + Content-Length body). */
class KeepAliveClient {
  private buffered = '';
  private waiting: (() => void) | undefined;

  private constructor(private readonly socket: net.Socket) {
    socket.setNoDelay(true);
    socket.setEncoding('latin1');
    socket.on('data', (text: string) => {
      this.buffered += text;
      this.check();
    });
  }

  static connect(port: number): Promise<KeepAliveClient> {
    return new Promise((resolve, reject) => {
      const socket = net.connect({ host: '127.0.0.1', port }, () => resolve(new KeepAliveClient(socket)));
      socket.once('error', reject);
    });
  }

  /** Milliseconds from the write to the last byte of the answer. */
  get(): Promise<number> {
    const start = performance.now();
    return new Promise((resolve) => {
      this.waiting = () => resolve(performance.now() - start);
      this.socket.write(REQUEST);
    });
  }

  close(): void {
    this.socket.destroy();
  }

  private check(): void {
    const headerEnd = this.buffered.indexOf('\r\n\r\n');
    if (headerEnd < 0) return;
    const length = Number(/content-length: *(\d+)/i.exec(this.buffered.slice(0, headerEnd))?.[1] ?? 0);
    const total = headerEnd + 4 + length;
    if (this.buffered.length < total) return;
    this.buffered = this.buffered.slice(total);
    const done = this.waiting;
    this.waiting = undefined;
    done?.();
  }
}

/** `connections` clients, each sending one GET every connections/rate seconds for `seconds`. */
async function measureLatency(port: number, options: Options, into: LatencyHistogram): Promise<void> {
  const clients = await Promise.all(Array.from({ length: options.connections }, () => KeepAliveClient.connect(port)));
  const intervalMs = (1000 * options.connections) / options.rate;
  const deadline = performance.now() + options.seconds * 1000;
  // The first answers pay for connecting upstream and warming up; they are not counted.
  for (const client of clients) await client.get();
  await Promise.all(
    clients.map(async (client, i) => {
      let next = performance.now() + (i * intervalMs) / options.connections;
      while (next < deadline) {
        const wait = next - performance.now();
        if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
        into.record(await client.get());
        next += intervalMs;
      }
    }),
  );
  for (const client of clients) client.close();
}

/** MB/s reading everything the bulk server sends on one connection. */
function measureThroughput(port: number): Promise<number> {
  return new Promise((resolve, reject) => {
    let bytes = 0;
    const start = performance.now();
    const socket = net.connect({ host: '127.0.0.1', port });
    socket.on('data', (chunk: Buffer) => (bytes += chunk.length));
    socket.on('end', () => {
      resolve(bytes / 1e6 / ((performance.now() - start) / 1000));
      socket.destroy();
    });
    socket.on('error', reject);
  });
}

const ms = (value: number | null): string => (value === null ? '-' : value.toFixed(3));

async function main(): Promise<number> {
  const options = parseArgs(process.argv.slice(2));
  if (typeof options === 'string') {
    process.stderr.write(`${options}\n${USAGE}\n`);
    return 2;
  }
  tempDir = mkdtempSync(path.join(os.tmpdir(), 'bench-proxy-'));
  const bundle = path.join(tempDir, 'proxy.cjs');
  await bundleProxy(bundle);
  const http = await startChild(['-e', HTTP_SERVER], /^\d+$/);
  const bulk = await startChild(['-e', BULK_SERVER, String(options.mb * 1e6)], /^\d+$/);
  const proxy = await startChild([bundle, '-port', '0'], /"event":"listening"/);
  const apiPort = (JSON.parse(proxy.line) as { port: number }).port;
  const viaProxy = portOf((await api(apiPort, 'POST', '/proxies', { name: 'http', listen: '127.0.0.1:0', upstream: `127.0.0.1:${http.line}` })).listen);
  const viaChain = portOf((await api(apiPort, 'POST', '/proxies', { name: 'chain', listen: '127.0.0.1:0', upstream: `127.0.0.1:${http.line}` })).listen);
  await api(apiPort, 'POST', '/proxies/chain/toxics', { type: 'latency', attributes: { latency: 0 } });
  const bulkViaProxy = portOf((await api(apiPort, 'POST', '/proxies', { name: 'bulk', listen: '127.0.0.1:0', upstream: `127.0.0.1:${bulk.line}` })).listen);

  const modes = [
    { name: 'direct', port: Number(http.line), histogram: new LatencyHistogram() },
    { name: 'through the proxy', port: viaProxy, histogram: new LatencyHistogram() },
    { name: 'through a toxic chain (latency 0)', port: viaChain, histogram: new LatencyHistogram() },
  ];
  for (let round = 1; round <= options.rounds; round += 1) {
    for (const mode of modes) {
      process.stderr.write(`round ${round}/${options.rounds}: ${mode.name}\n`);
      await measureLatency(mode.port, options, mode.histogram);
    }
  }
  const throughput = { direct: [] as number[], proxy: [] as number[] };
  for (let run = 1; run <= 3; run += 1) {
    process.stderr.write(`throughput run ${run}/3\n`);
    throughput.direct.push(await measureThroughput(Number(bulk.line)));
    throughput.proxy.push(await measureThroughput(bulkViaProxy));
  }

  const [direct, proxied, chained] = modes.map((mode) => mode.histogram.summary());
  if (direct === undefined || proxied === undefined || chained === undefined) throw new Error('no modes measured');
  const added = (a: number | null, b: number | null): string => (a === null || b === null ? '-' : `${a >= b ? '+' : '−'}${Math.abs(a - b).toFixed(3)}`);
  const lines = [
    `fault proxy, no toxic: ${options.connections} keep-alive connections, ${options.rate} req/s, ${options.rounds} rounds × ${options.seconds} s per mode`,
    `(Node ${process.version}, ${os.cpus().length} cores, load average ${os.loadavg()[0]?.toFixed(1)} at the end; client, proxy and server in three processes)`,
    '',
    `| mode | requests | p50 ms | p99 ms |`,
    `|---|---:|---:|---:|`,
    ...modes.map((mode) => {
      const s = mode.histogram.summary();
      return `| ${mode.name} | ${s.count} | ${ms(s.p50Ms)} | ${ms(s.p99Ms)} |`;
    }),
    `| added by one hop (proxy − direct) | | ${added(proxied.p50Ms, direct.p50Ms)} | ${added(proxied.p99Ms, direct.p99Ms)} |`,
    `| added by the toxic chain (chain − proxy) | | ${added(chained.p50Ms, proxied.p50Ms)} | ${added(chained.p99Ms, proxied.p99Ms)} |`,
    '',
    `throughput, one connection, ${options.mb} MB, median of 3: direct ${median(throughput.direct).toFixed(0)} MB/s, through the proxy ${median(throughput.proxy).toFixed(0)} MB/s`,
  ];
  process.stdout.write(`${lines.join('\n')}\n`);
  return 0;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`bench:proxy failed: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  },
);
