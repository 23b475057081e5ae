/**
 * Test helpers for the built-in engine: a target server on 127.0.0.1 (port 0) with the routes the
 * tests need, scripts written to a temp dir, and a run that captures stdout, stderr, progress and
 * the NDJSON samples.
 */
import http from 'node:http';
import { mkdtempSync, readFileSync, writeFileSync, existsSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import type { AddressInfo } from 'node:net';
import type { LoadRunOptions, LoadRunResult } from '../contract.ts';
import { createBuiltinEngine } from './index.ts';

export interface TestServer {
  base: string;
  port: number;
  /** Requests seen, by path. */
  hits: Map<string, number>;
  /** Concurrent requests in flight right now, and the most seen. */
  inFlight: { now: number; max: number };
  close(): Promise<void>;
}

/** Routes: /ok, /json, /status/:code, /login (sets sid), /whoami (echo sid), /redirect/:n, /hang, /headers (echo), /echo (method+body), /slow/:ms */
export async function startTestServer(): Promise<TestServer> {
  const hits = new Map<string, number>();
  const inFlight = { now: 0, max: 0 };
  let sessions = 0;
  const hanging = new Set<http.ServerResponse>();
  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://x');
    const route = url.pathname;
    hits.set(route, (hits.get(route) ?? 0) + 1);
    inFlight.now++;
    inFlight.max = Math.max(inFlight.max, inFlight.now);
    res.on('close', () => inFlight.now--);
    res.setHeader('x-replica', 'replica-1');
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString()));
    req.on('end', () => {
      const cookie = /sid=([^;]+)/.exec(req.headers.cookie ?? '')?.[1];
      if (route === '/ok') return res.end('ok');
      if (route === '/json') {
        res.setHeader('content-type', 'application/json');
        return res.end(JSON.stringify({ items: [{ id: 1, name: 'a' }, { id: 2, name: 'b' }], a: { b: 'deep' }, count: 2 }));
      }
      if (route.startsWith('/status/')) {
        res.statusCode = Number(route.slice(8));
        return res.end('status');
      }
      if (route === '/login') {
        const sid = `s${++sessions}`;
        res.setHeader('set-cookie', [`sid=${sid}; Path=/; HttpOnly`, 'theme=dark; Path=/']);
        return res.end(JSON.stringify({ sid }));
      }
      if (route === '/whoami') return res.end(JSON.stringify({ sid: cookie ?? null, cookie: req.headers.cookie ?? '' }));
      if (route.startsWith('/redirect/')) {
        const n = Number(route.slice(10));
        res.statusCode = 302;
        res.setHeader('location', n > 1 ? `/redirect/${n - 1}` : '/ok');
        return res.end();
      }
      if (route === '/hang') {
        hanging.add(res);
        return;
      }
      if (route.startsWith('/slow/')) {
        setTimeout(() => res.end('slow'), Number(route.slice(6)));
        return;
      }
      if (route === '/headers') return res.end(JSON.stringify(req.headers));
      if (route === '/echo') {
        res.setHeader('content-type', 'application/json');
        return res.end(JSON.stringify({ method: req.method, body, contentType: req.headers['content-type'] ?? null }));
      }
      res.statusCode = 404;
      res.end('not found');
    });
  });
  server.keepAliveTimeout = 60_000;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    base: `http://127.0.0.1:${port}`,
    port,
    hits,
    inFlight,
    close: async () => {
      for (const res of hanging) res.destroy();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

export interface CapturedRun {
  result: LoadRunResult;
  stdout: string;
  stderr: string;
  progress: string[];
  dir: string;
  /** NDJSON points. */
  points: Array<{ metric: string; time: string; value: number; tags: Record<string, string> }>;
  metricLines: Array<{ name: string; type: string; contains: string }>;
  elapsedMs: number;
}

function collector(): { stream: Writable; text: () => string } {
  let text = '';
  return {
    stream: new Writable({
      write(chunk: Buffer, _enc, cb) {
        text += chunk.toString();
        cb();
      },
    }),
    text: () => text,
  };
}

export function scriptDir(files: Record<string, string>): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'builtin-engine-'));
  for (const [name, content] of Object.entries(files)) {
    const target = path.join(dir, name);
    mkdirSync(path.dirname(target), { recursive: true });
    writeFileSync(target, content);
  }
  return dir;
}

export async function runScript(
  files: Record<string, string>,
  extra: Partial<LoadRunOptions> = {},
  entry = 'script.js',
): Promise<CapturedRun> {
  const dir = scriptDir(files);
  const out = collector();
  const err = collector();
  const progress: string[] = [];
  const started = Date.now();
  const result = await createBuiltinEngine().run({
    script: path.join(dir, entry),
    env: {},
    cwd: dir,
    ndjsonPath: path.join(dir, 'out.ndjson'),
    stdout: out.stream,
    stderr: err.stream,
    onProgress: (line) => progress.push(line),
    ...extra,
  });
  const points: CapturedRun['points'] = [];
  const metricLines: CapturedRun['metricLines'] = [];
  const ndjson = path.join(dir, 'out.ndjson');
  if (existsSync(ndjson)) {
    for (const line of readFileSync(ndjson, 'utf8').split('\n')) {
      if (!line) continue;
      const o = JSON.parse(line) as { type: string; metric: string; data: Record<string, unknown> };
      if (o.type === 'Point') points.push({ metric: o.metric, ...(o.data as { time: string; value: number; tags: Record<string, string> }) });
      else metricLines.push(o.data as { name: string; type: string; contains: string });
    }
  }
  return { result, stdout: out.text(), stderr: err.text(), progress, dir, points, metricLines, elapsedMs: Date.now() - started };
}

export function pointsOf(run: CapturedRun, metric: string): CapturedRun['points'] {
  return run.points.filter((p) => p.metric === metric);
}

export function sumOf(run: CapturedRun, metric: string, filter: (tags: Record<string, string>) => boolean = () => true): number {
  return pointsOf(run, metric)
    .filter((p) => filter(p.tags))
    .reduce((s, p) => s + p.value, 0);
}
