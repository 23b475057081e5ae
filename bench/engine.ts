/**
 * Benchmark of the built-in load engine against real k6 (when a k6 binary is found through K6_BIN
 * or PATH): req/s and peak RSS at 10, 50 and 200 VUs, ~10 s each, against a trivial HTTP server on
 * 127.0.0.1 that runs in its own child process (so it does not share the engine's CPU thread).
 * Each engine run is a process of its own (the built-in engine always runs in one; k6 is one), so
 * its peak RSS is its own, sampled from /proc (VmHWM).
 *
 *   npx tsx bench/engine.ts [--duration 10s] [--vus 10,50,200]
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { Writable } from 'node:stream';
import { mkdtempSync, readFileSync, writeFileSync, rmSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';


interface Measurement {
  reqs: number;
  reqPerSec: number;
  peakRssMb: number;
}

function arg(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 && process.argv[i + 1] ? process.argv[i + 1]! : fallback;
}

const SCRIPT = `import http from 'k6/http';
export default function () {
  http.get(__ENV.BASE);
}
`;

/** The target: answers "ok" to everything, in a child process. */
function startServer(): Promise<{ child: ChildProcess; base: string }> {
  const code = `const http = require('node:http');
const s = http.createServer((req, res) => { res.setHeader('Content-Type', 'text/plain'); res.end('ok'); });
s.keepAliveTimeout = 120000;
s.listen(0, '127.0.0.1', () => process.send(s.address().port));`;
  const child = spawn(process.execPath, ['-e', code], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  return new Promise((resolve, reject) => {
    child.once('message', (port) => resolve({ child, base: `http://127.0.0.1:${String(port)}/` }));
    child.once('exit', (code) => reject(new Error(`server exited with ${String(code)}`)));
  });
}

/** Peak RSS of a process in MB, sampled from /proc while it runs (VmHWM when readable). */
function watchRss(pid: number): () => number {
  let peak = 0;
  const read = (): void => {
    try {
      const status = readFileSync(`/proc/${pid}/status`, 'utf8');
      const hwm = /VmHWM:\s+(\d+) kB/.exec(status);
      const rss = /VmRSS:\s+(\d+) kB/.exec(status);
      peak = Math.max(peak, Number(hwm?.[1] ?? 0) / 1024, Number(rss?.[1] ?? 0) / 1024);
    } catch {
      // the process has exited
    }
  };
  const timer = setInterval(read, 100);
  return () => {
    read();
    clearInterval(timer);
    return peak;
  };
}

async function runBuiltin(dir: string, base: string, vus: number, duration: string): Promise<Measurement> {
  // The engine runs in a process of its own (as the harness runs it): sample that process's RSS.
  const { childBundle, runInChildProcess } = await import('../harness/load/builtin/process-runner.ts');
  const bundle = childBundle();
  if (!bundle) throw new Error('could not build the built-in engine bundle');
  let stop: (() => number) | undefined;
  const result = await runInChildProcess(
    bundle,
    { script: path.join(dir, 'bench.js'), env: { BASE: base }, vus, duration, stdout: new Writable({ write: (_c, _e, cb) => cb() }), stderr: process.stderr },
    (pid) => (stop = watchRss(pid)),
  );
  const peak = stop?.() ?? 0;
  const summary = result.summary as { metrics: { http_reqs?: { values: { count: number } } }; state: { testRunDurationMs: number } };
  const reqs = summary.metrics.http_reqs?.values.count ?? 0;
  return { reqs, reqPerSec: reqs / (summary.state.testRunDurationMs / 1000), peakRssMb: peak };
}

function findK6(): string | undefined {
  if (process.env['K6_BIN'] && existsSync(process.env['K6_BIN'])) return process.env['K6_BIN'];
  const which = spawnSync('sh', ['-c', 'command -v k6'], { encoding: 'utf8' });
  const found = which.stdout.trim();
  return which.status === 0 && found ? found : undefined;
}

async function runK6(k6: string, dir: string, base: string, vus: number, duration: string): Promise<Measurement> {
  const summary = path.join(dir, `k6-summary-${vus}.json`);
  const child = spawn(k6, ['run', '--quiet', '--vus', String(vus), '--duration', duration, '--summary-export', summary, '-e', `BASE=${base}`, path.join(dir, 'bench.js')], { stdio: ['ignore', 'ignore', 'inherit'] });
  const stop = watchRss(child.pid!);
  await new Promise((resolve) => child.once('exit', resolve));
  const peak = stop();
  const data = JSON.parse(readFileSync(summary, 'utf8')) as { metrics: { http_reqs: { count: number; rate: number } } };
  return { reqs: data.metrics.http_reqs.count, reqPerSec: data.metrics.http_reqs.rate, peakRssMb: peak };
}

async function main(): Promise<void> {
  const duration = arg('duration', '10s');
  const vuCounts = arg('vus', '10,50,200').split(',').map(Number);
  const dir = mkdtempSync(path.join(tmpdir(), 'bench-engine-'));
  writeFileSync(path.join(dir, 'bench.js'), SCRIPT);
  const { child: server, base } = await startServer();
  const k6 = findK6();
  const rows: string[][] = [];
  try {
    for (const vus of vuCounts) {
      const b = await runBuiltin(dir, base, vus, duration);
      const k = k6 ? await runK6(k6, dir, base, vus, duration) : undefined;
      rows.push([
        String(vus),
        b.reqPerSec.toFixed(0),
        b.peakRssMb.toFixed(0),
        k ? k.reqPerSec.toFixed(0) : 'k6 not found',
        k ? k.peakRssMb.toFixed(0) : 'k6 not found',
        k ? (b.reqPerSec / k.reqPerSec).toFixed(2) + '×' : 'k6 not found',
        k ? (b.peakRssMb / k.peakRssMb).toFixed(2) + '×' : 'k6 not found',
      ]);
      process.stderr.write(`${vus} VUs: builtin ${b.reqPerSec.toFixed(0)} req/s, ${b.peakRssMb.toFixed(0)} MB\n`);
    }
  } finally {
    server.kill();
    rmSync(dir, { recursive: true, force: true });
  }
  const header = ['VUs', 'builtin req/s', 'builtin peak RSS MB', 'k6 req/s', 'k6 peak RSS MB', 'req/s ratio', 'RSS ratio'];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: string[]): string => `| ${cells.map((c, i) => c.padEnd(widths[i]!)).join(' | ')} |`;
  console.log(`\nBuilt-in engine vs k6, ${duration} per run, trivial server on 127.0.0.1 (child process)${k6 ? `, k6: ${k6}` : ''}\n`);
  console.log(line(header));
  console.log(`|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`);
  for (const r of rows) console.log(line(r));
}

await main();
