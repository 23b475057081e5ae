import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { defaultLbSettings } from '../../targets/lb/lb-settings.ts';
import { writeSyntheticRun } from '../analysis/testing/synthetic-run.ts';
import { runFiles, trialFiles } from '../core/run-files/index.ts';
import { finishRun } from './finish-run.ts';

/** The load balancer's settings shape what a fault costs: every trial's are in results.json and the reports. */
const T0 = Date.UTC(2026, 11, 2, 0, 0, 0);
const work = mkdtempSync(path.join(os.tmpdir(), 'lb-settings-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

const requests = Array.from({ length: 50 }, (_, k) => ({ time: T0 + 5 + k * 20, durationMs: 3, failed: false, replica: 'app-1', session: `s-${k % 3}` }));

describe('load balancer settings', () => {
  it('are read from lb-settings.json into results.json, summary.md and report.html', async () => {
    const dir = path.join(work, 'run');
    writeSyntheticRun(
      dir,
      ['stateful', 'stateless'].map((name) => ({ trial: { name, architecture: name, t0: T0, endedAt: T0 + 1000, initialReplicas: ['app-1'] }, requests })),
      { runId: 'r-lb', name: 'lb', trials: ['stateful', 'stateless'] },
    );
    writeFileSync(trialFiles(dir, 'stateful').lbSettings, JSON.stringify(defaultLbSettings('stateful')));
    writeFileSync(trialFiles(dir, 'stateless').lbSettings, JSON.stringify({ ...defaultLbSettings('stateless'), connectTimeoutMs: 1000, balance: 'leastconn' }));
    const outcome = await finishRun(dir);
    expect(outcome.results.trials.map((trial) => trial.lbSettings?.connectTimeoutMs)).toEqual([50, 1000]);
    const summary = readFileSync(runFiles(dir).summaryMd, 'utf8');
    expect(summary).toContain('### Load balancer settings');
    expect(summary).toContain('- stateful · connect timeout 50 ms, 3 retries, checks every 500 ms (fall 2, rise 1), roundrobin, sticky (cookie)');
    expect(summary).toContain('- stateless · connect timeout 1,000 ms, 3 retries, checks every 500 ms (fall 2, rise 1), leastconn, no stickiness');
    expect(readFileSync(runFiles(dir).reportHtml, 'utf8')).toContain('connect timeout 1,000 ms, 3 retries');
  });

  it('are null for a run recorded before them, and a malformed file is refused naming it', async () => {
    const dir = path.join(work, 'old');
    writeSyntheticRun(dir, [{ trial: { name: 'stateful', architecture: 'stateful', t0: T0, endedAt: T0 + 1000, initialReplicas: ['app-1'] }, requests }]);
    expect((await finishRun(dir)).results.trials[0]!.lbSettings).toBeNull();
    writeFileSync(trialFiles(dir, 'stateful').lbSettings, '{"connectTimeoutMs": "fast"}');
    await expect(finishRun(dir)).rejects.toMatchObject({ code: 'E_ANALYSIS_INPUT', message: expect.stringMatching(/lb-settings\.json: not load balancer settings/) });
  });
});
