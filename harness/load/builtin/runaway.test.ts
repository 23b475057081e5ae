/**
 * Issue 11: a load always ends. A script that never yields is killed from outside at its phase's
 * deadline, and the engine's process dies with `harness load` whatever kills it. Through the real CLI,
 * as a user runs it.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startCli, type CliResult } from '../../testing/cli.ts';
import { GUARD_NAME } from '../../core/process-guard.ts';
import { allGone, commandLine, cpuSeconds, descendantRunning, descendants, guardsOf, HAS_PROC, waitFor } from '../../testing/processes.ts';
import { K6_EXIT } from '../contract.ts';
import { DEADLINE_MARGIN_MS } from './phase-deadlines.ts';

const isEngine = (args: string[]): boolean => args.some((a) => a.includes('builtin-engine-'));

/** Runs `harness load …`, noting every process under it (and its command line) while it runs; killed after `limitMs`. */
async function loadWatched(args: string[], limitMs: number): Promise<{ result: CliResult; elapsedMs: number; seen: Map<number, string[]> }> {
  const started = Date.now();
  const { child, done } = startCli(['load', ...args]);
  const seen = new Map<number, string[]>();
  // The latest command line: a process seen between its fork and its exec still shows its parent's.
  const watch = setInterval(() => {
    for (const pid of descendants(child.pid!)) {
      const args = commandLine(pid);
      if (args.length > 0) seen.set(pid, args);
    }
  }, 100);
  const limit = setTimeout(() => child.kill('SIGKILL'), limitMs);
  try {
    const result = await done;
    return { result, elapsedMs: Date.now() - started, seen };
  } finally {
    clearInterval(watch);
    clearTimeout(limit);
  }
}

describe.runIf(HAS_PROC)('a script that never yields (built-in engine)', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'runaway-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('in the scenarios: killed at duration + gracefulStop + margin, exit 102, the points written so far kept, nothing left running', async () => {
    // Five iterations of 200 ms, then an iteration that spins: the engine's only thread is stuck.
    const script = path.join(dir, 'spin.js');
    writeFileSync(
      script,
      `import { sleep } from 'k6';
export const options = { scenarios: { s: { executor: 'constant-vus', vus: 1, duration: '2s', gracefulStop: '1s' } } };
let n = 0;
export default function () {
  if (++n > 5) { while (true) {} }
  sleep(0.2);
}
`,
    );
    const ndjson = path.join(dir, 'out.ndjson');
    const { result, elapsedMs, seen } = await loadWatched([script, '--engine', 'builtin', '--out', `json=${ndjson}`], 25_000);

    expect(result.code, result.stderr).toBe(K6_EXIT.genericTimeout);
    expect(result.stderr).toMatch(/ERRO\[\d{4}\] the script did not yield: the scenarios should have ended by 2s \+ 1s gracefulStop; the engine process was killed 3s after that\n/);
    // Not before the deadline (2 s + 1 s + the margin after the scenarios' start), and not long after.
    expect(elapsedMs).toBeGreaterThanOrEqual(3_000 + DEADLINE_MARGIN_MS);
    expect(elapsedMs).toBeLessThan(15_000);

    // Whole lines only; the first iterations' points are there (the last ~200 ms before the spin may not be).
    const lines = readFileSync(ndjson, 'utf8').split('\n').filter((l) => l !== '');
    const parsed = lines.map((l) => JSON.parse(l) as { metric: string; type: string });
    expect(parsed.filter((p) => p.metric === 'iterations' && p.type === 'Point').length).toBeGreaterThanOrEqual(3);

    // The engine and its guard were seen, and are gone.
    expect([...seen.values()].some(isEngine)).toBe(true);
    expect([...seen.values()].some((args) => args.includes(GUARD_NAME))).toBe(true);
    await allGone([...seen.keys()], 2_000);
  });

  it('in setup(): killed at setupTimeout + margin, with k6’s exit code for a setup timeout (100)', async () => {
    const script = path.join(dir, 'setup-spin.js');
    writeFileSync(
      script,
      `export const options = { setupTimeout: '1s', vus: 1, iterations: 1 };
export function setup() { while (true) {} }
export default function () {}
`,
    );
    const { result, elapsedMs, seen } = await loadWatched([script, '--engine', 'builtin'], 20_000);
    expect(result.code, result.stderr).toBe(K6_EXIT.setupTimeout);
    expect(result.stderr).toContain('the script did not yield: setup() should have ended within its setupTimeout of 1s; the engine process was killed');
    expect(elapsedMs).toBeGreaterThanOrEqual(1_000 + DEADLINE_MARGIN_MS);
    expect(elapsedMs).toBeLessThan(12_000);
    await allGone([...seen.keys()], 2_000);
  });

  it('the engine dies within 2 s when `harness load` is SIGKILLed while the script spins', async () => {
    const script = path.join(dir, 'spin-forever.js');
    writeFileSync(script, 'export default function () { while (true) {} }\n');
    // The case: with a 60 s duration, only the kill can end it within the test.
    const { child, done } = startCli(['load', script, '--engine', 'builtin', '--duration', '60s']);
    try {
      const engine = await waitFor('the engine process', () => descendantRunning(child.pid!, isEngine), 15_000);
      // Spinning: it has burnt a second of CPU (its start takes a fraction of that).
      await waitFor('the engine to spin', () => (cpuSeconds(engine) >= 1 ? true : undefined), 10_000);
      const guards = guardsOf(child.pid!);
      expect(guards.length).toBeGreaterThanOrEqual(1);
      child.kill('SIGKILL');
      await allGone([engine], 2_000);
      await allGone(guards, 2_000);
    } finally {
      child.kill('SIGKILL');
      await done;
    }
  });
});
