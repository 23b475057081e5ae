/**
 * What real k6 is given: every top-level script bundled (harness/load/script-bundle.ts) is one ES2017
 * module, read by a plain ES2017 parser, with no TypeScript or ES2020 syntax left and only k6's own
 * modules imported — what k6 v0.4x runs. And the bundle behaves as the script: on the built-in
 * engine, against the reference app, it emits the same metrics and passes the same checks.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createBuiltinEngine } from '../../harness/load/builtin/index.ts';
import type { SummaryData, SummaryGroup } from '../../harness/load/metrics/summary-types.ts';
import { bundleScript } from '../../harness/load/script-bundle.ts';
import { es2017Imports, es2020Operators } from '../../harness/load/script-bundle-testkit.ts';
import { startTestApp, type TestApp } from '../../targets/app/test-support/test-app.ts';
import { METRIC_SESSION_LOST } from '../lib/metric-names.ts';
import { SCRIPTS_DIR } from './run-script.ts';

const SCRIPTS = readdirSync(SCRIPTS_DIR).filter((file) => file.endsWith('.ts'));
const RUN_TIMEOUT_MS = 60_000;

let bundles: string;
let app: TestApp;

beforeAll(async () => {
  bundles = mkdtempSync(path.join(tmpdir(), 'k6-script-bundles-'));
  app = await startTestApp({ replica: 'bundle-1' });
});

afterAll(async () => {
  await app.stop();
  rmSync(bundles, { recursive: true, force: true });
});

/** A short run on the built-in engine: the exit code, the error lines, and the summary. */
async function run(script: string): Promise<{ exitCode: number; errors: string; summary: SummaryData }> {
  let stderr = '';
  const sink = (append: (text: string) => void): Writable => new Writable({ write: (chunk: Buffer, _encoding, done) => (append(String(chunk)), done()) });
  const result = await createBuiltinEngine().run({
    script,
    env: { BASE_URL: `http://127.0.0.1:${app.port}`, VUS: '2', DURATION: '1s', THINK_TIME: '0.02', GRACEFUL_STOP: '1s', REQUEST_TIMEOUT: '2s' },
    stdout: sink(() => {}),
    stderr: sink((text) => (stderr += text)),
  });
  const errors = stderr.split('\n').filter((line) => /level=error|ERRO/.test(line)).join('\n');
  return { exitCode: result.exitCode, errors, summary: result.summary as SummaryData };
}

/** Every check in every group (bank.ts checks its books in teardown), by path, and whether it failed. */
function checksOf(summary: SummaryData): Array<{ path: string; failed: boolean }> {
  const found: Array<{ path: string; failed: boolean }> = [];
  const visit = (group: SummaryGroup): void => {
    for (const check of group.checks) found.push({ path: check.path, failed: check.fails > 0 });
    group.groups.forEach(visit);
  };
  visit(summary.root_group);
  return found.sort((a, b) => a.path.localeCompare(b.path));
}

it('covers the shipped scripts', () => {
  expect(SCRIPTS).toEqual(expect.arrayContaining(['bank.ts', 'browse.ts', 'session-journey.ts']));
});

describe.each(SCRIPTS)('%s bundled for k6', (script) => {
  const bundleOf = (): string => path.join(bundles, `${path.basename(script, '.ts')}.bundle.js`);

  it('is one ES2017 module that imports only k6 modules', async () => {
    const bundle = await bundleScript(path.join(SCRIPTS_DIR, script), bundleOf());
    expect(bundle.warnings).toEqual([]);
    const code = readFileSync(bundle.path, 'utf8');
    const imports = es2017Imports(code);
    expect(imports.length).toBeGreaterThan(0);
    for (const specifier of imports) expect(specifier).toMatch(/^k6(\/[\w/-]+)?$/);
    expect(code).not.toMatch(/\bimport\s+type\b/);
    expect(es2020Operators(code)).toEqual([]);
  });

  it('runs unchanged on the built-in engine, with the same metrics and checks as the script', { timeout: RUN_TIMEOUT_MS }, async () => {
    const bundle = await bundleScript(path.join(SCRIPTS_DIR, script), bundleOf());
    const original = await run(path.join(SCRIPTS_DIR, script));
    const bundled = await run(bundle.path);
    for (const outcome of [original, bundled]) {
      expect(outcome.errors).toBe('');
      expect(outcome.exitCode).toBe(0);
      expect(outcome.summary.metrics[METRIC_SESSION_LOST]).toBeUndefined();
    }
    expect(bundled.summary.metrics['http_reqs']?.values['count']).toBeGreaterThan(5);
    expect(Object.keys(bundled.summary.metrics).sort()).toEqual(Object.keys(original.summary.metrics).sort());
    expect(checksOf(bundled.summary)).toEqual(checksOf(original.summary));
    expect(checksOf(bundled.summary).filter((check) => check.failed)).toEqual([]);
    if (script === 'bank.ts') expect(checksOf(bundled.summary).length).toBeGreaterThan(0);
  });
});
