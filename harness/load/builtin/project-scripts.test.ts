/**
 * The project's own k6 scripts (k6-scripts/*.ts) run unchanged on the built-in engine, against the
 * reference app running in-process.
 */
import { readdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../../../targets/app/test-support/test-app.ts';
import { createBuiltinEngine } from './index.ts';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const scriptsDir = path.join(repoRoot, 'k6-scripts');
const scripts = readdirSync(scriptsDir).filter((f) => f.endsWith('.ts') || f.endsWith('.js'));

let app: TestApp;
let base = '';

// The real reference app, in-process with the memory store: the scripts meet the contract they
// were written for, not a stand-in.
beforeAll(async () => {
  app = await startTestApp({ replica: 'scripts-1' });
  base = `http://127.0.0.1:${app.port}`;
});

afterAll(async () => {
  await app.stop();
});

describe('k6-scripts/ on the built-in engine', () => {
  it.each(scripts)('%s runs unchanged', async (file) => {
    let stderr = '';
    const sink = (append: (s: string) => void): Writable => new Writable({ write: (c: Buffer, _e, cb) => (append(c.toString()), cb()) });
    const result = await createBuiltinEngine().run({
      script: path.join(scriptsDir, file),
      env: { BASE_URL: base, VUS: '2', DURATION: '1500ms', THINK_TIME: '0.02' },
      stdout: sink(() => {}),
      stderr: sink((s) => (stderr += s)),
    });
    expect(stderr).not.toMatch(/ERRO/);
    expect(result.exitCode).toBe(0);
    const summary = result.summary as { metrics: Record<string, { values: Record<string, number> }> };
    expect(summary.metrics['http_reqs']!.values['count']).toBeGreaterThan(20);
    expect(summary.metrics['session_lost']).toBeUndefined();
  });
});
