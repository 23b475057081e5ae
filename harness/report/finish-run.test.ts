import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { HarnessError } from '../core/errors.ts';
import { finishRun } from './finish-run.ts';
import { cli, fixtureManifest, fixtureRunDir } from './testing/fixtures.ts';

const dirs: string[] = [];
afterAll(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});
const runDir = (...args: Parameters<typeof fixtureRunDir>): string => {
  const dir = fixtureRunDir(...args);
  dirs.push(dir);
  return dir;
};

describe('finishRun', () => {
  it('evaluates the verdict and writes every report; exit code 1 when a threshold fails', async () => {
    const dir = runDir();
    const outcome = await finishRun(dir, { analysis: 'never', cliThresholds: [cli('stateful', 'sessions_lost', 0)] });
    expect(outcome.exitCode).toBe(1);
    expect(outcome.analysed).toBe(false);
    expect(outcome.written).toEqual(['report.html', 'summary.md', 'junit.xml'].map((file) => path.join(dir, file)));
    expect(outcome.verdict.checks).toMatchObject([{ trial: 'stateful', metric: 'sessions_lost', actual: 6, ok: false }]);
    expect(readFileSync(path.join(dir, 'summary.md'), 'utf8')).toMatch(/^## ❌ default comparison: 1 of 1 thresholds failed/);
  });

  it('uses the scenario’s thresholds from manifest.json, and exit code 0 when they pass', async () => {
    const manifest = fixtureManifest();
    (manifest.scenario as { thresholds: Record<string, unknown> }).thresholds = {
      stateful: [{ metric: 'session_loss_rate', max: 0.5, scope: 'fault-windows' }],
      stateless: [{ metric: 'sessions_lost', max: 0, scope: 'trial' }],
    };
    const dir = runDir({ manifest });
    const outcome = await finishRun(dir, { analysis: 'never', reports: ['junit'] });
    expect(outcome.exitCode).toBe(0);
    expect(outcome.verdict.checks.map((check) => [check.trial, check.metric, check.source, check.ok])).toEqual([
      ['stateful', 'session_loss_rate', 'scenario', true],
      ['stateless', 'sessions_lost', 'scenario', true],
    ]);
    expect(existsSync(path.join(dir, 'report.html'))).toBe(false);
  });

  it('refuses a manifest whose thresholds are not valid rather than dropping them', async () => {
    const manifest = fixtureManifest();
    (manifest.scenario as { thresholds: Record<string, unknown> }).thresholds = { stateful: [{ metric: 'error_budget', max: 1 }] };
    const dir = runDir({ manifest });
    await expect(finishRun(dir, { analysis: 'never' })).rejects.toMatchObject({ code: 'E_MANIFEST', exitCode: 2 });
  });

  it('fails with a harness error when results.json is missing and analysis is not allowed', async () => {
    const dir = runDir();
    rmSync(path.join(dir, 'results.json'));
    const error: unknown = await finishRun(dir, { analysis: 'never' }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(HarnessError);
    expect(error).toMatchObject({ code: 'E_RESULTS', exitCode: 2 });
  });

  it('refuses a results.json of another schema version', async () => {
    const dir = runDir();
    writeFileSync(path.join(dir, 'results.json'), JSON.stringify({ schemaVersion: 99 }));
    await expect(finishRun(dir, { analysis: 'if-missing' })).rejects.toThrow(/schema version 99, this harness reads version 4/);
  });
});
