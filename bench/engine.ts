/**
 * Benchmark of the built-in load engine against real k6 (when a k6 binary is found through K6_BIN
 * or PATH), in two cases, ~10 s per run, against an HTTP server on 127.0.0.1 that runs in its own
 * child process (so it does not share the engine's CPU thread):
 *
 * - closed model: constant VUs looping on a trivial "ok" (req/s at 1 … 1,000 VUs);
 * - open model: constant-arrival-rate at 500, 2,000 and 5,000 iterations/s against an answer after
 *   20 ms (achieved rate, dropped iterations, latency p50/p95).
 *
 * Each engine run is a process of its own (the built-in engine always runs in one; k6 is one), so
 * its peak RSS (VmHWM, sampled from /proc) and its CPU time are its own. CPU time is what the
 * engine's process used from start to exit (the children's utime+stime the kernel adds to this
 * process once it reaps the engine), so req per CPU-second counts startup too; it varies less than
 * req/s on a machine shared with other work.
 *
 *   npx tsx bench/engine.ts [--duration 10s] [--vus 1,10,50,200,1000] [--rates 500,2000,5000]
 *   (`--vus none` or `--rates none` skips that case)
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { Writable } from 'node:stream';
import { mkdtempSync, readFileSync, writeFileSync, rmSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parseK6Duration } from '../harness/load/metrics/go-time.ts';

/** The server's answer delay in the arrival-rate case. */
const SLOW_MS = 20;

/** Flattened numbers of one run, from either engine's summary. */
interface Measurement {
  reqs: number;
  durationS: number;
  iterations: number;
  dropped: number;
  p50: number;
  p95: number;
  vusMax: number;
  cpuS: number;
  peakRssMb: number;
}

function arg(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 && process.argv[i + 1] ? process.argv[i + 1]! : fallback;
}

function listArg(name: string, fallback: string): number[] {
  const value = arg(name, fallback);
  return value === 'none' ? [] : value.split(',').map(Number);
}

const CLOSED_SCRIPT = `import http from 'k6/http';
export default function () {
  http.get(__ENV.BASE);
}
`;

const ARRIVAL_SCRIPT = `import http from 'k6/http';
export const options = {
  scenarios: {
    arrival: {
      executor: 'constant-arrival-rate',
      rate: Number(__ENV.RATE),
      timeUnit: '1s',
      duration: __ENV.DURATION,
      preAllocatedVUs: Number(__ENV.PRE_VUS),
      maxVUs: Number(__ENV.MAX_VUS),
    },
  },
};
export default function () {
  http.get(__ENV.BASE);
}
`;

/** The target: answers "ok", after SLOW_MS on /slow, in a child process. */
function startServer(): Promise<{ child: ChildProcess; base: string }> {
  const code = `const http = require('node:http');
const s = http.createServer((req, res) => {
  res.setHeader('Content-Type', 'text/plain');
  if (req.url.startsWith('/slow')) setTimeout(() => res.end('ok'), ${SLOW_MS});
  else res.end('ok');
});
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

const CLOCK_TICKS = Number(spawnSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).stdout.trim()) || 100;

/** CPU seconds of this process's reaped children (cutime + cstime in /proc/self/stat). */
function reapedChildrenCpuS(): number {
  const fields = readFileSync('/proc/self/stat', 'utf8').split(') ')[1]!.split(' ');
  // Fields 16 and 17 of stat(5), counted from the state field (3rd) at index 0.
  return (Number(fields[13]) + Number(fields[14])) / CLOCK_TICKS;
}

type Stat = 'count' | 'max' | 'med' | 'p(95)';

/** Reads a metric's stat from the built-in engine's summary (handleSummary data: metrics.x.values). */
function builtinStat(summary: unknown, metric: string, stat: Stat): number {
  const values = (summary as { metrics: Record<string, { values: Record<string, number> } | undefined> }).metrics[metric]?.values;
  return values?.[stat] ?? 0;
}

/** Reads a metric's stat from k6's --summary-export (metrics.x flat). */
function k6Stat(summary: unknown, metric: string, stat: Stat): number {
  const values = (summary as { metrics: Record<string, Record<string, number> | undefined> }).metrics[metric];
  return values?.[stat] ?? 0;
}

function measurement(stat: (metric: string, s: Stat) => number, durationS: number, cpuS: number, peakRssMb: number): Measurement {
  return {
    reqs: stat('http_reqs', 'count'),
    durationS,
    iterations: stat('iterations', 'count'),
    dropped: stat('dropped_iterations', 'count'),
    p50: stat('http_req_duration', 'med'),
    p95: stat('http_req_duration', 'p(95)'),
    vusMax: stat('vus_max', 'max'),
    cpuS,
    peakRssMb,
  };
}

interface RunSpec {
  script: string;
  env: Record<string, string>;
  /** The closed model's --vus and --duration; the arrival-rate script has its own scenario. */
  vus?: number;
  duration?: string;
}

async function runBuiltin(dir: string, spec: RunSpec): Promise<Measurement> {
  // The engine runs in a process of its own (as the harness runs it): sample that process's RSS.
  const { childBundle, runInChildProcess } = await import('../harness/load/builtin/process-runner.ts');
  const bundle = childBundle();
  if (!bundle) throw new Error('could not build the built-in engine bundle');
  let stop: (() => number) | undefined;
  const cpuBefore = reapedChildrenCpuS();
  const result = await runInChildProcess(
    bundle,
    {
      script: path.join(dir, spec.script),
      env: spec.env,
      vus: spec.vus,
      duration: spec.duration,
      stdout: new Writable({ write: (_c, _e, cb) => cb() }),
      stderr: process.stderr,
    },
    (pid) => (stop = watchRss(pid)),
  );
  const peak = stop?.() ?? 0;
  const summary = result.summary as { state: { testRunDurationMs: number } };
  return measurement((m, s) => builtinStat(summary, m, s), summary.state.testRunDurationMs / 1000, reapedChildrenCpuS() - cpuBefore, peak);
}

function findK6(): string | undefined {
  if (process.env['K6_BIN'] && existsSync(process.env['K6_BIN'])) return process.env['K6_BIN'];
  const which = spawnSync('sh', ['-c', 'command -v k6'], { encoding: 'utf8' });
  const found = which.stdout.trim();
  return which.status === 0 && found ? found : undefined;
}

async function runK6(k6: string, dir: string, spec: RunSpec): Promise<Measurement> {
  const summaryPath = path.join(dir, 'k6-summary.json');
  rmSync(summaryPath, { force: true });
  const args = ['run', '--quiet', '--summary-export', summaryPath];
  if (spec.vus !== undefined) args.push('--vus', String(spec.vus));
  if (spec.duration !== undefined) args.push('--duration', spec.duration);
  for (const [k, v] of Object.entries(spec.env)) args.push('-e', `${k}=${v}`);
  const cpuBefore = reapedChildrenCpuS();
  const child = spawn(k6, [...args, path.join(dir, spec.script)], { stdio: ['ignore', 'ignore', 'inherit'] });
  const stop = watchRss(child.pid!);
  const started = Date.now();
  await new Promise((resolve) => child.once('exit', resolve));
  const peak = stop();
  const cpuS = reapedChildrenCpuS() - cpuBefore;
  const summary = JSON.parse(readFileSync(summaryPath, 'utf8')) as { metrics: { http_reqs: { count: number; rate: number } } };
  // k6's export has no test duration; its http_reqs rate is count over that duration.
  const durationS = summary.metrics.http_reqs.rate > 0 ? summary.metrics.http_reqs.count / summary.metrics.http_reqs.rate : (Date.now() - started) / 1000;
  return measurement((m, s) => k6Stat(summary, m, s), durationS, cpuS, peak);
}

function printTable(title: string, header: string[], rows: string[][]): void {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: string[]): string => `| ${cells.map((c, i) => c.padStart(widths[i]!)).join(' | ')} |`;
  console.log(`\n${title}\n`);
  console.log(line(header));
  console.log(`|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`);
  for (const r of rows) console.log(line(r));
}

const perCpuS = (m: Measurement): string => (m.cpuS > 0 ? (m.reqs / m.cpuS).toFixed(0) : '-');
const ratio = (a: number, b: number): string => (b > 0 ? `${(a / b).toFixed(2)}×` : '-');

/** VUs an arrival-rate run may use: initially 50 ms worth of starts, at most 200 ms worth. */
function arrivalVus(rate: number): { pre: number; max: number } {
  return { pre: Math.max(10, Math.ceil(rate / 20)), max: Math.max(20, Math.ceil(rate / 5)) };
}

async function main(): Promise<void> {
  const duration = arg('duration', '10s');
  const vuCounts = listArg('vus', '1,10,50,200,1000');
  const rates = listArg('rates', '500,2000,5000');
  const durationMs = parseK6Duration(duration);
  if (durationMs === undefined || durationMs <= 0) throw new Error(`--duration ${duration} is not a k6 duration`);
  const durationS = durationMs / 1000;
  const dir = mkdtempSync(path.join(tmpdir(), 'bench-engine-'));
  writeFileSync(path.join(dir, 'closed.js'), CLOSED_SCRIPT);
  writeFileSync(path.join(dir, 'arrival.js'), ARRIVAL_SCRIPT);
  const { child: server, base } = await startServer();
  const k6 = findK6();
  const closedRows: string[][] = [];
  const arrivalRows: string[][] = [];
  try {
    for (const vus of vuCounts) {
      const spec: RunSpec = { script: 'closed.js', env: { BASE: base }, vus, duration };
      const b = await runBuiltin(dir, spec);
      const k = k6 ? await runK6(k6, dir, spec) : undefined;
      const row = [String(vus), (b.reqs / b.durationS).toFixed(0), perCpuS(b), b.peakRssMb.toFixed(0)];
      if (k) row.push((k.reqs / k.durationS).toFixed(0), perCpuS(k), k.peakRssMb.toFixed(0), ratio(b.reqs / b.durationS, k.reqs / k.durationS), ratio(b.peakRssMb, k.peakRssMb));
      closedRows.push(row);
      process.stderr.write(`${vus} VUs: builtin ${(b.reqs / b.durationS).toFixed(0)} req/s, ${perCpuS(b)} req/CPU-s, ${b.peakRssMb.toFixed(0)} MB\n`);
    }
    for (const rate of rates) {
      const { pre, max } = arrivalVus(rate);
      const spec: RunSpec = { script: 'arrival.js', env: { BASE: `${base}slow`, RATE: String(rate), DURATION: duration, PRE_VUS: String(pre), MAX_VUS: String(max) } };
      const cells = (m: Measurement): string[] => [
        (m.iterations / durationS).toFixed(0),
        String(m.dropped),
        m.p50.toFixed(1),
        m.p95.toFixed(1),
        String(m.vusMax),
        perCpuS(m),
        m.peakRssMb.toFixed(0),
      ];
      const b = await runBuiltin(dir, spec);
      const k = k6 ? await runK6(k6, dir, spec) : undefined;
      arrivalRows.push([String(rate), `${pre}/${max}`, ...cells(b), ...(k ? cells(k) : [])]);
      process.stderr.write(`${rate}/s: builtin ${(b.iterations / durationS).toFixed(0)} iterations/s, ${b.dropped} dropped, p50 ${b.p50.toFixed(1)} ms\n`);
    }
  } finally {
    server.kill();
    rmSync(dir, { recursive: true, force: true });
  }
  console.log(`\nBuilt-in engine${k6 ? ` vs k6 (${k6})` : ' (k6 not found: set K6_BIN or put k6 on PATH for its columns)'}, ${duration} per run, server on 127.0.0.1 in a child process`);
  if (closedRows.length > 0) {
    const header = ['VUs', 'builtin req/s', 'builtin req/CPU-s', 'builtin peak RSS MB'];
    if (k6) header.push('k6 req/s', 'k6 req/CPU-s', 'k6 peak RSS MB', 'req/s ratio', 'RSS ratio');
    printTable('Closed model: constant VUs, trivial "ok" server', header, closedRows);
  }
  if (arrivalRows.length > 0) {
    const columns = ['achieved/s', 'dropped', 'p50 ms', 'p95 ms', 'vus_max', 'req/CPU-s', 'peak RSS MB'];
    const header = ['rate/s', 'pre/max VUs', ...columns.map((c) => `builtin ${c}`), ...(k6 ? columns.map((c) => `k6 ${c}`) : [])];
    printTable(`Open model: constant-arrival-rate against a ${SLOW_MS} ms server`, header, arrivalRows);
  }
}

await main();
