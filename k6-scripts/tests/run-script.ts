/**
 * Runs a project script on the built-in engine and reads back its NDJSON samples, so tests can
 * assert on the metrics contract (metric-names.ts) as the analysis will see it.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { afterEach } from 'vitest';
import { createBuiltinEngine } from '../../harness/load/builtin/index.ts';
import { startTestApp, type TestApp } from '../../targets/app/test-support/test-app.ts';

export const SCRIPTS_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

export interface Point {
  metric: string;
  time: number;
  value: number;
  tags: Record<string, string>;
}

export interface ScriptRun {
  exitCode: number;
  stderr: string;
  points: Point[];
}

export async function runScript(script: string, env: Record<string, string>): Promise<ScriptRun> {
  const dir = mkdtempSync(path.join(tmpdir(), 'k6-script-test-'));
  const ndjsonPath = path.join(dir, 'out.ndjson');
  let stderr = '';
  const sink = (append: (text: string) => void): Writable =>
    new Writable({
      write(chunk: Buffer, _encoding, done) {
        append(chunk.toString());
        done();
      },
    });
  try {
    const result = await createBuiltinEngine().run({
      script: path.join(SCRIPTS_DIR, script),
      env,
      ndjsonPath,
      stdout: sink(() => {}),
      stderr: sink((text) => (stderr += text)),
    });
    return { exitCode: result.exitCode, stderr, points: readPoints(ndjsonPath) };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function readPoints(file: string): Point[] {
  const points: Point[] = [];
  for (const line of readFileSync(file, 'utf8').split('\n')) {
    if (line.trim() === '') continue;
    const record = JSON.parse(line) as { type: string; metric: string; data: { time: string; value: number; tags: Record<string, string> | null } };
    if (record.type !== 'Point') continue;
    points.push({ metric: record.metric, time: Date.parse(record.data.time), value: record.data.value, tags: record.data.tags ?? {} });
  }
  return points;
}

export const pointsOf = (run: ScriptRun, metric: string): Point[] => run.points.filter((p) => p.metric === metric);

/**
 * Starts reference apps in-process for the calling test file and stops them (and whatever else was
 * registered) after each test, in reverse order.
 */
export function testApps(): { app: (overrides: Parameters<typeof startTestApp>[0]) => Promise<TestApp>; cleanups: Array<() => Promise<void>> } {
  const cleanups: Array<() => Promise<void>> = [];
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  });
  return {
    cleanups,
    app: async (overrides) => {
      const started = await startTestApp(overrides);
      cleanups.push(() => started.stop());
      return started;
    },
  };
}
