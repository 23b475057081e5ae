/**
 * Issue 11: when `harness run` dies (here a stand-in that runs startLoad, SIGKILLed), the guard of the
 * engine process it started kills the engine, even one stuck in a loop.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { allGone, cpuSeconds, descendantRunning, guardsOf, HAS_PROC, isRunning, waitFor } from '../testing/processes.ts';

const STAND_IN = fileURLToPath(new URL('./fixtures/start-load.ts', import.meta.url));

describe.runIf(HAS_PROC)('the load process when `harness run` is SIGKILLed', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'load-process-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it("its spinning engine is gone within 2 s, and so is the engine's guard", async () => {
    const script = path.join(dir, 'spin.js');
    writeFileSync(script, 'export default function () { while (true) {} }\n');
    const run = spawn(process.execPath, ['--import', 'tsx', STAND_IN, script, dir], { stdio: ['ignore', 'pipe', 'inherit'] });
    try {
      await new Promise<void>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error('the stand-in did not start the load within 10 s')), 10_000);
        run.stdout?.on('data', (chunk: Buffer) => {
          if (chunk.toString('utf8').includes('\n')) {
            clearTimeout(timer);
            resolve();
          }
        });
      });
      const engine = await waitFor('the engine process', () => descendantRunning(run.pid!, (args) => args.some((a) => a.includes('builtin-engine-'))), 15_000);
      await waitFor('the engine to spin', () => (cpuSeconds(engine) >= 1 ? true : undefined), 10_000);
      const guards = guardsOf(run.pid!);
      // The engine's: `harness run` drives the engine itself, with no `harness load` between.
      expect(guards).toHaveLength(1);

      run.kill('SIGKILL');
      await allGone([engine], 2_000);
      await allGone(guards, 2_000);
      expect(isRunning(run.pid!)).toBe(false);
    } finally {
      run.kill('SIGKILL');
    }
  });
});
