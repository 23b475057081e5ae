/**
 * Benchmark of the analysis (issue 5, scope 7): generates k6 NDJSON of 2 M and 20 M points in a
 * temporary directory, analyses each in a fresh child process (so that its peak RSS is the
 * analysis's alone), and prints points/s and peak RSS. Goal: ≥ 1 M points/s on one core, and the
 * same peak RSS at both sizes. Run: npx tsx bench/analysis.ts [points…]
 *
 * Three rates are printed, because a shared machine makes wall time noisy: per wall second, per CPU
 * second of the whole process (which includes the GC's and the file reads' helper threads), and per
 * CPU second of the thread that runs the analysis — the "one core" figure.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { analyzeTrial } from '../harness/analysis/analyze-trial.ts';
import { writeRealisticTrial } from '../harness/analysis/testing/realistic-load.ts';

interface ChildReport {
  lines: number;
  wallMs: number;
  processCpuMs: number;
  /** NaN where /proc is not there to tell. */
  mainThreadCpuMs: number;
  peakRssMb: number;
  requests: number;
}

const CHILD_FLAG = '--analyze-child';
const DEFAULT_SIZES = [2_000_000, 20_000_000];
/** Linux reports thread times in clock ticks of 1/100 s (USER_HZ). */
const MS_PER_TICK = 10;

if (process.argv[2] === CHILD_FLAG) {
  await runChild(process.argv[3] ?? '');
} else {
  runBenchmark(
    process.argv
      .slice(2)
      .map(Number)
      .filter((n) => n > 0),
  );
}

/** In the child: analyse one trial and report time, CPU and peak RSS as one JSON line. */
async function runChild(trialDir: string): Promise<void> {
  const processBefore = process.cpuUsage();
  const threadBefore = mainThreadCpuMs();
  const started = performance.now();
  const result = await analyzeTrial(trialDir);
  const wallMs = performance.now() - started;
  const processCpu = process.cpuUsage(processBefore);
  const report: ChildReport = {
    lines: result.inputs.load.lines,
    wallMs,
    processCpuMs: (processCpu.user + processCpu.system) / 1000,
    mainThreadCpuMs: mainThreadCpuMs() - threadBefore,
    // maxRSS is in kilobytes on Linux.
    peakRssMb: process.resourceUsage().maxRSS / 1024,
    requests: result.totals.requests,
  };
  console.log(JSON.stringify(report));
}

/** User + system time of this process's main thread, from /proc (Linux); NaN elsewhere. */
function mainThreadCpuMs(): number {
  try {
    const stat = readFileSync(`/proc/self/task/${process.pid}/stat`, 'utf8');
    // Fields after the command name, which is in parentheses and may contain spaces.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) * MS_PER_TICK;
  } catch {
    return Number.NaN;
  }
}

function runBenchmark(requested: number[]): void {
  const sizes = requested.length > 0 ? requested : DEFAULT_SIZES;
  const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
  const rows: string[][] = [];
  for (const points of sizes) {
    const workDir = mkdtempSync(path.join(os.tmpdir(), 'analysis-bench-'));
    try {
      const generateStarted = performance.now();
      const load = writeRealisticTrial(workDir, { points });
      const bytes = statSync(path.join(load.trialDir, 'load.ndjson')).size;
      const generateS = (performance.now() - generateStarted) / 1000;
      console.error(
        `generated ${load.lines.toLocaleString('en')} lines (${(bytes / 1e9).toFixed(2)} GB, ` +
          `${load.requests.toLocaleString('en')} requests, ${load.sessions} sessions, ` +
          `${(load.durationMs / 1000).toFixed(0)} s of load) in ${generateS.toFixed(0)} s`,
      );
      const child = spawnSync(process.execPath, ['--import', 'tsx', fileURLToPath(import.meta.url), CHILD_FLAG, load.trialDir], {
        cwd: repoRoot,
        encoding: 'utf8',
        maxBuffer: 1 << 20,
      });
      if (child.status !== 0) throw new Error(`analysis child failed (${child.status}): ${child.stderr}`);
      const report = JSON.parse(child.stdout.trim().split('\n').at(-1) ?? '{}') as ChildReport;
      if (report.requests !== load.requests) {
        throw new Error(`analysis counted ${report.requests} requests, the generator wrote ${load.requests}`);
      }
      const rate = (ms: number): string => `${(((report.lines / ms) * 1000) / 1e6).toFixed(2)} M/s`;
      rows.push([
        `${(points / 1e6).toFixed(0)} M`,
        report.lines.toLocaleString('en'),
        `${(bytes / 1e9).toFixed(2)} GB`,
        `${(report.wallMs / 1000).toFixed(1)} s`,
        rate(report.wallMs),
        rate(report.processCpuMs),
        Number.isNaN(report.mainThreadCpuMs) ? 'n/a' : rate(report.mainThreadCpuMs),
        `${report.peakRssMb.toFixed(0)} MB`,
      ]);
    } finally {
      rmSync(workDir, { recursive: true, force: true });
    }
  }
  const header = ['size', 'lines', 'file', 'wall', 'pts/s wall', 'pts/s process CPU', 'pts/s analysis thread', 'peak RSS'];
  const widths = header.map((title, column) => Math.max(title.length, ...rows.map((row) => (row[column] ?? '').length)));
  for (const row of [header, ...rows]) console.log(row.map((cell, column) => cell.padStart(widths[column] ?? 0)).join('  '));
}
