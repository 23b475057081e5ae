/**
 * Benchmark of the event-sourced store's recovery: how fast a replica replays the ledger log, and how
 * long it takes from process start to ready, against the number of events since the latest snapshot.
 *
 * For each size (default 10 000, 100 000 and 1 000 000 log entries, after a baseline with an empty
 * log): a fresh redis-server on 127.0.0.1 (targets/app/test-support/redis-server.ts), the log seeded
 * with one account's opening and size − 1 deposits (bank/seed-ledger.ts), then `--runs` replicas
 * started one after the other as real processes — the app's bundle, `node app.cjs`, as the image runs
 * it — with STATE_STORE=event-log and snapshots off, so each replays the whole log. Measured per run:
 *   - replay: the app's own `replay_done` line (events, durationMs: snapshot load + XRANGE batches +
 *     applying them to the projection); rate = events / durationMs;
 *   - time to ready: from spawn to the first GET /readyz 200 (the port opens only once ready);
 *   - peak RSS: VmHWM of the app process once ready (/proc).
 * Then, on the largest size's log, the snapshot rows: one replica with SNAPSHOT_EVERY_MS set writes a
 * snapshot of the whole log and stops; replicas started after it load the snapshot and replay nothing;
 * then the smallest size's worth of entries is appended (another account) and replicas replay just
 * those after the snapshot.
 *
 *   npm run bench:replay [-- --sizes 10000,100000,1000000] [--runs 3] [--no-snapshot]
 *
 * Progress goes to stderr, the table to stdout. Every wait has a timeout; the app processes, the
 * redis-servers and the temporary directory are removed on exit, on error and on Ctrl-C.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { waitUntil } from '../harness/cluster/probes.ts';
import { appReady } from '../harness/cluster/readiness.ts';
import { MAX_SEED_DEPOSITS, seedLedgerAt } from '../targets/app/bank/seed-ledger.ts';
import { bundleApp } from '../targets/app/bundle.ts';
import { hasRedisServer, RedisServer } from '../targets/app/test-support/redis-server.ts';

const DEFAULT_SIZES = [10_000, 100_000, 1_000_000];
const DEFAULT_RUNS = 3;
const MAX_RUNS = 50;
/** The log holds the account's opening plus the deposits. */
const MIN_SIZE = 2;
const MAX_SIZE = MAX_SEED_DEPOSITS + 1;
const SEED_AMOUNT = 100;
/** The account appended after the snapshot (seed-ledger refuses a second history on one account). */
const AFTER_SNAPSHOT_ACCOUNT = 'bench-after-snapshot';
const USAGE = `usage: npm run bench:replay -- [--sizes <n>,<n>,…] [--runs <n>] [--no-snapshot]
  --sizes        log entries to replay, each an integer from ${MIN_SIZE} to ${MAX_SIZE} (default ${DEFAULT_SIZES.join(',')});
                 an empty log (0) is always measured first as the baseline
  --runs         replicas started per size, an integer from 1 to ${MAX_RUNS} (default ${DEFAULT_RUNS})
  --no-snapshot  skip the rows that start from a snapshot of the largest size's log`;

interface Options {
  sizes: number[];
  runs: number;
  snapshot: boolean;
}

/** One line of the app's JSON log. */
interface LogLine {
  event: string;
  [field: string]: unknown;
}

interface RunResult {
  events: number;
  replayMs: number;
  fromSnapshot: boolean;
  snapshotEvents: number;
  readyMs: number;
  /** NaN where /proc is not there to tell. */
  peakRssMb: number;
}

interface Row {
  logEntries: number;
  /** Entries the snapshot the replicas started from covers; 0 = none. */
  snapshotAt: number;
  runs: RunResult[];
}

// ---- what to clean up, whatever happens ------------------------------------------------------

const live = { apps: new Set<AppProcess>(), redis: new Set<RedisServer>(), dirs: new Set<string>() };

/** Synchronous, so it also runs from process.on('exit'): SIGKILL what is left, remove the directories. */
function cleanupSync(): void {
  for (const app of live.apps) app.killNow();
  live.apps.clear();
  for (const redis of live.redis) {
    try {
      if (redis.pid !== undefined) process.kill(redis.pid, 'SIGKILL');
    } catch {
      // gone already
    }
  }
  live.redis.clear();
  for (const dir of live.dirs) rmSync(dir, { recursive: true, force: true });
  live.dirs.clear();
}

process.on('exit', cleanupSync);
for (const [signal, code] of [['SIGINT', 130], ['SIGTERM', 143], ['SIGHUP', 129]] as const) {
  process.on(signal, () => {
    process.stderr.write(`\n${signal}: stopping the app processes and redis-servers\n`);
    process.exit(code);
  });
}

// ---- arguments ------------------------------------------------------------------------------

/** The options, or the problem with the arguments as one line. */
function parseArgs(argv: readonly string[]): Options | string {
  let sizes = DEFAULT_SIZES;
  let runs = DEFAULT_RUNS;
  let snapshot = true;
  const seen = new Set<string>();
  for (let i = 0; i < argv.length; i += 1) {
    const arg = argv[i] ?? '';
    const eq = arg.indexOf('=');
    const name = arg.startsWith('--') && eq > 0 ? arg.slice(0, eq) : arg;
    if (seen.has(name)) return `${name} is given twice`;
    seen.add(name);
    const value = (): string | undefined => {
      if (eq > 0 && arg.startsWith('--')) return arg.slice(eq + 1);
      i += 1;
      return argv[i];
    };
    if (name === '--sizes') {
      const raw = value();
      if (raw === undefined || raw.trim() === '') return `--sizes needs a comma-separated list of integers from ${MIN_SIZE} to ${MAX_SIZE}, e.g. --sizes 1000,50000`;
      const parsed: number[] = [];
      for (const part of raw.split(',')) {
        const n = /^\s*\d[\d_]*\s*$/.test(part) ? Number(part.trim().replaceAll('_', '')) : Number.NaN;
        if (!Number.isSafeInteger(n) || n < MIN_SIZE || n > MAX_SIZE) {
          return `--sizes: ${JSON.stringify(part)} is not an integer from ${MIN_SIZE} to ${MAX_SIZE} (log entries: the account's opening plus at least one deposit; the empty log is always measured)`;
        }
        parsed.push(n);
      }
      sizes = [...new Set(parsed)].sort((a, b) => a - b);
    } else if (name === '--runs') {
      const raw = value();
      const n = raw !== undefined && /^\d+$/.test(raw) ? Number(raw) : Number.NaN;
      if (!Number.isSafeInteger(n) || n < 1 || n > MAX_RUNS) return `--runs: ${raw === undefined ? 'nothing' : JSON.stringify(raw)} is not an integer from 1 to ${MAX_RUNS}`;
      runs = n;
    } else if (arg === '--no-snapshot') {
      snapshot = false;
    } else {
      return `unknown argument ${JSON.stringify(arg)}`;
    }
  }
  return { sizes, runs, snapshot };
}

// ---- the app as a child process -------------------------------------------------------------

/** One replica: `node app.cjs` with the given environment, its JSON log lines parsed as they come. */
class AppProcess {
  readonly child: ChildProcess;
  readonly spawnedAt: number;
  private readonly lines: LogLine[] = [];
  private readonly tail: string[] = [];
  private waiters: (() => void)[] = [];
  private exit: string | undefined;

  constructor(bundle: string, cwd: string, env: Record<string, string>) {
    this.spawnedAt = performance.now();
    this.child = spawn(process.execPath, [bundle], { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
    live.apps.add(this);
    this.child.once('error', (error) => this.exited(`could not start: ${error.message}`));
    this.child.once('exit', (code, signal) => this.exited(signal === null ? `exit code ${String(code)}` : `signal ${signal}`));
    createInterface({ input: this.child.stdout!, crlfDelay: Infinity }).on('line', (line) => {
      this.remember(line);
      try {
        const parsed = JSON.parse(line) as unknown;
        if (typeof parsed === 'object' && parsed !== null && typeof (parsed as LogLine).event === 'string') this.lines.push(parsed as LogLine);
      } catch {
        // not a log line
      }
      this.notify();
    });
    createInterface({ input: this.child.stderr!, crlfDelay: Infinity }).on('line', (line) => this.remember(`stderr: ${line}`));
  }

  get pid(): number | undefined {
    return this.child.pid;
  }

  /** The first log line with this event, waiting for it until the deadline (a performance.now() time). */
  async waitFor(event: string, deadline: number): Promise<LogLine> {
    for (;;) {
      const found = this.lines.find((line) => line.event === event);
      if (found !== undefined) return found;
      if (this.exit !== undefined) throw new Error(`the app ended (${this.exit}) before logging "${event}"; its last lines:\n${this.tailText()}`);
      const left = deadline - performance.now();
      if (left <= 0) throw new Error(`the app did not log "${event}" in time; its last lines:\n${this.tailText()}`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(done, left);
        function done(): void {
          clearTimeout(timer);
          resolve();
        }
        this.waiters.push(done);
      });
    }
  }

  /** SIGTERM (graceful stop), SIGKILL if it is still there after 10 s. */
  async stop(): Promise<void> {
    if (this.exit === undefined) {
      this.child.kill('SIGTERM');
      if (!(await this.waitExit(10_000))) {
        this.child.kill('SIGKILL');
        await this.waitExit(5000);
      }
    }
    live.apps.delete(this);
  }

  killNow(): void {
    if (this.exit === undefined) this.child.kill('SIGKILL');
  }

  private async waitExit(ms: number): Promise<boolean> {
    const deadline = performance.now() + ms;
    while (this.exit === undefined && performance.now() < deadline) {
      await new Promise<void>((resolve) => {
        const timer = setTimeout(done, deadline - performance.now());
        function done(): void {
          clearTimeout(timer);
          resolve();
        }
        this.waiters.push(done);
      });
    }
    return this.exit !== undefined;
  }

  private exited(how: string): void {
    this.exit ??= how;
    this.notify();
  }

  private notify(): void {
    const waiters = this.waiters;
    this.waiters = [];
    for (const wake of waiters) wake();
  }

  private remember(line: string): void {
    this.tail.push(line.length > 500 ? `${line.slice(0, 500)}…` : line);
    if (this.tail.length > 20) this.tail.shift();
  }

  private tailText(): string {
    return this.tail.length === 0 ? '  (nothing)' : this.tail.map((line) => `  ${line}`).join('\n');
  }
}

/** VmHWM of the process in MB; NaN when /proc cannot tell. */
function peakRssMb(pid: number | undefined): number {
  if (pid === undefined) return Number.NaN;
  try {
    const hwm = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return hwm === null ? Number.NaN : Number(hwm[1]) / 1024;
  } catch {
    return Number.NaN;
  }
}

/** Bound on waiting for a replay of `events` entries: generous, assumes at least 10 000 events/s. */
function replayBudgetMs(events: number): number {
  return 30_000 + events / 10;
}

interface Context {
  bundle: string;
  dir: string;
}

function appEnv(redisUrl: string, extra: Record<string, string> = {}): Record<string, string> {
  // A clean environment, so nothing of the caller's (LOG_REQUESTS, NODE_OPTIONS, …) changes what is measured.
  return {
    PATH: process.env.PATH ?? '/usr/bin:/bin',
    STATE_STORE: 'event-log',
    REDIS_URL: redisUrl,
    PORT: '0',
    HOST: '127.0.0.1',
    REPLICA_NAME: 'bench-replay',
    SNAPSHOT_EVERY_EVENTS: '0',
    SNAPSHOT_EVERY_MS: '0',
    ...extra,
  };
}

interface Expected {
  events: number;
  snapshotEvents: number;
}

/** Starts a replica, waits until GET /readyz answers 200, reads its replay line, and stops it. */
async function measureRun(ctx: Context, redisUrl: string, expected: Expected): Promise<RunResult> {
  const app = new AppProcess(ctx.bundle, ctx.dir, appEnv(redisUrl));
  try {
    const deadline = app.spawnedAt + replayBudgetMs(expected.events);
    // The port opens once ready (LISTEN_WHEN_READY's default); the `listening` line names it (PORT=0).
    const listening = await app.waitFor('listening', deadline);
    const port = listening.port;
    if (typeof port !== 'number') throw new Error(`the app's listening line has no port: ${JSON.stringify(listening)}`);
    const ready = appReady(Math.max(0, deadline - performance.now()), { port, attemptTimeoutMs: 2000 });
    let last = '';
    const readyAt = await waitUntil(
      async () => {
        await ready.attempt('127.0.0.1').catch((error: unknown) => {
          last = error instanceof Error ? error.message : String(error);
          throw error;
        });
        return performance.now();
      },
      { timeoutMs: ready.timeoutMs, intervalMs: 20 },
    );
    if (readyAt === undefined) throw new Error(`GET ${ready.timedOut} (last: ${last})`);
    const rss = peakRssMb(app.pid);
    const done = await app.waitFor('replay_done', deadline);
    const result: RunResult = {
      events: Number(done.events),
      replayMs: Number(done.durationMs),
      fromSnapshot: done.fromSnapshot === true,
      snapshotEvents: Number(done.snapshotEvents),
      readyMs: readyAt - app.spawnedAt,
      peakRssMb: rss,
    };
    if (result.events !== expected.events || result.snapshotEvents !== expected.snapshotEvents || result.fromSnapshot !== expected.snapshotEvents > 0) {
      throw new Error(
        `the replica replayed ${result.events} events from a snapshot of ${result.snapshotEvents} (fromSnapshot ${String(result.fromSnapshot)}), ` +
          `expected ${expected.events} from ${expected.snapshotEvents}: not measuring what the row says`,
      );
    }
    return result;
  } finally {
    await app.stop();
  }
}

/** A replica that writes a snapshot of everything it replayed (timer-based), then stops. */
async function writeSnapshot(ctx: Context, redisUrl: string, events: number): Promise<void> {
  const app = new AppProcess(ctx.bundle, ctx.dir, appEnv(redisUrl, { SNAPSHOT_EVERY_MS: '200' }));
  try {
    const written = await app.waitFor('snapshot_written', app.spawnedAt + replayBudgetMs(events) + 30_000);
    if (written.events !== events) throw new Error(`the snapshot covers ${String(written.events)} entries, expected ${events}`);
    process.stderr.write(`  snapshot of ${fmtInt(events)} entries written (${String(written.bytes)} bytes)\n`);
  } finally {
    await app.stop();
  }
}

async function seed(redisUrl: string, account: string | undefined, entries: number): Promise<void> {
  const began = performance.now();
  await withTimeout(
    `seeding ${fmtInt(entries)} entries`,
    seedLedgerAt(redisUrl, { ...(account === undefined ? {} : { account }), deposits: entries - 1, amount: SEED_AMOUNT }),
    60_000 + entries / 10,
  );
  process.stderr.write(`  seeded ${fmtInt(entries)} entries in ${((performance.now() - began) / 1000).toFixed(1)} s\n`);
}

async function measureRows(ctx: Context, redisUrl: string, logEntries: number, snapshotAt: number, runs: number): Promise<Row> {
  const row: Row = { logEntries, snapshotAt, runs: [] };
  const events = logEntries - snapshotAt;
  for (let run = 1; run <= runs; run += 1) {
    const r = await measureRun(ctx, redisUrl, { events, snapshotEvents: snapshotAt });
    row.runs.push(r);
    process.stderr.write(
      `  run ${run}/${runs}: replayed ${fmtInt(r.events)} in ${fmtMs(r.replayMs)} ms` +
        `${r.events > 0 ? ` (${fmtInt(rate(r))} events/s)` : ''}, ready after ${fmtMs(r.readyMs)} ms, peak RSS ${fmtMb(r.peakRssMb)} MB\n`,
    );
  }
  return row;
}

/** One size: a fresh redis-server, the seed, the runs, and the snapshot rows when asked for. */
async function measureSize(ctx: Context, size: number, runs: number, snapshotRows: { tail: number } | undefined): Promise<Row[]> {
  process.stderr.write(`${size === 0 ? 'empty log (baseline)' : `${fmtInt(size)} log entries`}:\n`);
  const redis = await RedisServer.start();
  live.redis.add(redis);
  try {
    if (size > 0) await seed(redis.url, undefined, size);
    const rows = [await measureRows(ctx, redis.url, size, 0, runs)];
    if (snapshotRows !== undefined) {
      process.stderr.write(`from a snapshot of ${fmtInt(size)} entries:\n`);
      await writeSnapshot(ctx, redis.url, size);
      rows.push(await measureRows(ctx, redis.url, size, size, runs));
      process.stderr.write(`${fmtInt(snapshotRows.tail)} entries appended after the snapshot of ${fmtInt(size)}:\n`);
      await seed(redis.url, AFTER_SNAPSHOT_ACCOUNT, snapshotRows.tail);
      rows.push(await measureRows(ctx, redis.url, size + snapshotRows.tail, size, runs));
    }
    return rows;
  } finally {
    await redis.kill();
    live.redis.delete(redis);
  }
}

// ---- formatting -----------------------------------------------------------------------------

function rate(r: RunResult): number {
  return r.replayMs > 0 ? (r.events / r.replayMs) * 1000 : Number.NaN;
}

function fmtInt(n: number): string {
  return Math.round(n).toLocaleString('en');
}

function fmtMs(ms: number): string {
  return ms < 100 ? ms.toFixed(1) : fmtInt(ms);
}

function fmtMb(mb: number): string {
  return Number.isNaN(mb) ? 'n/a' : mb.toFixed(0);
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/** Median, with min–max when there is more than one run. */
function cell(values: number[], format: (n: number) => string): string {
  if (values.some((v) => Number.isNaN(v))) return 'n/a';
  if (values.length === 1) return format(values[0]!);
  return `${format(median(values))} (${format(Math.min(...values))}–${format(Math.max(...values))})`;
}

function machineLine(): string {
  const cpus = os.cpus();
  const redis = spawnSync('redis-server', ['--version'], { encoding: 'utf8' }).stdout.match(/v=(\S+)/)?.[1] ?? 'unknown';
  return (
    `${cpus.length} CPUs (${cpus[0]?.model.trim() ?? 'unknown'}), ${(os.totalmem() / 2 ** 30).toFixed(0)} GB, ` +
    `${os.platform()} ${os.release()}, node ${process.version}, redis-server ${redis}`
  );
}

function printTable(rows: Row[], runs: number): void {
  const header = ['log entries', 'snapshot at', 'events since snapshot', 'replay ms', 'replay events/s', 'time to ready ms', 'peak RSS MB'];
  const cells = rows.map((row) => [
    fmtInt(row.logEntries),
    row.snapshotAt === 0 ? 'none' : fmtInt(row.snapshotAt),
    fmtInt(row.logEntries - row.snapshotAt),
    cell(row.runs.map((r) => r.replayMs), fmtMs),
    row.logEntries - row.snapshotAt === 0 ? '—' : cell(row.runs.map(rate), fmtInt),
    cell(row.runs.map((r) => r.readyMs), fmtMs),
    cell(row.runs.map((r) => r.peakRssMb), fmtMb),
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...cells.map((r) => r[i]!.length)));
  const line = (c: string[]): string => `| ${c.map((text, i) => (i === 0 || i === 1 ? text.padEnd(widths[i]!) : text.padStart(widths[i]!))).join(' | ')} |`;
  console.log(`\nEvent-log replay and time to ready, ${runs} run${runs === 1 ? '' : 's'} per row${runs > 1 ? ': median (min–max)' : ''}`);
  console.log(`${machineLine()}; app bundle (node app.cjs) and redis-server on 127.0.0.1\n`);
  console.log(line(header));
  console.log(`|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`);
  for (const c of cells) console.log(line(c));
  console.log(
    `\nreplay ms: the app's replay_done durationMs (snapshot load + XRANGE batches of 1000 + projection); ` +
      `events/s = events / replay ms.\ntime to ready: spawn of the process to the first GET /readyz 200. ` +
      `peak RSS: the app's VmHWM once ready.`,
  );
}

// ---- main -----------------------------------------------------------------------------------

async function withTimeout<T>(what: string, promise: Promise<T>, ms: number): Promise<T> {
  // If the timeout wins, the promise's later failure (its Redis killed) must not go unhandled.
  promise.catch(() => undefined);
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([
      promise,
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error(`${what} did not finish within ${(ms / 1000).toFixed(0)} s`)), ms);
      }),
    ]);
  } finally {
    clearTimeout(timer);
  }
}

async function main(options: Options): Promise<void> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'bench-replay-'));
  live.dirs.add(dir);
  try {
    const bundle = path.join(dir, 'app.cjs');
    await withTimeout('bundling the app', bundleApp(bundle), 60_000);
    const ctx: Context = { bundle, dir };
    const largest = Math.max(...options.sizes);
    const smallest = Math.min(...options.sizes);
    const rows: Row[] = [];
    for (const size of [0, ...options.sizes]) {
      const snapshotRows = options.snapshot && size === largest ? { tail: smallest } : undefined;
      rows.push(...(await measureSize(ctx, size, options.runs, snapshotRows)));
    }
    printTable(rows, options.runs);
  } finally {
    rmSync(dir, { recursive: true, force: true });
    live.dirs.delete(dir);
  }
}

const args = process.argv.slice(2);
if (args.includes('--help') || args.includes('-h')) {
  console.log(USAGE);
  process.exit(0);
}
const parsed = parseArgs(args);
if (typeof parsed === 'string') {
  process.stderr.write(`${parsed}\n${USAGE}\n`);
  process.exit(2);
}
if (!hasRedisServer) {
  process.stderr.write('redis-server is not on PATH: this benchmark starts its own on 127.0.0.1 (apt-get install redis-server)\n');
  process.exit(2);
}
try {
  await main(parsed);
  process.exit(0);
} catch (error) {
  process.stderr.write(`bench:replay failed: ${error instanceof Error ? error.message : String(error)}\n`);
  cleanupSync();
  process.exit(1);
}
