import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { writeSyntheticRun, type SyntheticRequest } from '../analysis/testing/synthetic-run.ts';
import { runFiles, trialFiles } from '../core/run-files/index.ts';
import type { LoadGeneratorStats } from '../load/load-generator-stats.ts';
import { cli } from './testing/fixtures.ts';
import { finishRun } from './finish-run.ts';

/**
 * A load generator that was itself the bottleneck measured its own queueing as latency: the trial's
 * latency figures carry a visible caveat in results.json, the verdict and every report.
 */
const T0 = Date.UTC(2026, 11, 1, 12, 0, 0);
const work = mkdtempSync(path.join(os.tmpdir(), 'load-generator-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

function stats(saturated: boolean): LoadGeneratorStats {
  return {
    schemaVersion: 1,
    engine: 'builtin',
    startedAt: new Date(T0 - 20).toISOString(),
    resolutionMs: 5,
    eventLoopDelayMs: saturated ? { p50: 40, p99: 168, max: 170, samples: 30 } : { p50: 0.1, p99: 1.2, max: 3, samples: 900 },
    cpu: { userMs: 1200, systemMs: 20, wallMs: 2000, coreFraction: 0.61 },
    seconds: [
      { t: 0, wallMs: 1000, delayP99Ms: saturated ? 150 : 1, delayMaxMs: 160, coreFraction: 0.6 },
      { t: 1, wallMs: 1000, delayP99Ms: saturated ? 168 : 1, delayMaxMs: 170, coreFraction: 0.62 },
    ],
    bounds: { delayP99Ms: 10, coreFractionAverage: 0.9, coreFractionSustained: 0.95, sustainedSeconds: 3, minSliceMs: 500 },
    rule: 'saturated when …',
    saturated,
    reasons: saturated ? ['event-loop delay p99 168.0 ms > 10 ms'] : [],
  };
}

const requests = (): SyntheticRequest[] =>
  Array.from({ length: 100 }, (_, k) => ({ time: T0 + 5 + k * 20, durationMs: 4 + (k % 7), failed: false, replica: 'app-1', session: `s-${k % 4}` }));

describe('a saturated load generator', () => {
  const dir = path.join(work, 'run');
  writeSyntheticRun(
    dir,
    ['stateful', 'stateless'].map((name) => ({ trial: { name, architecture: name, t0: T0, endedAt: T0 + 2000, initialReplicas: ['app-1'] }, requests: requests() })),
    { runId: 'r-sat', name: 'saturation', trials: ['stateful', 'stateless'] },
  );
  writeFileSync(trialFiles(dir, 'stateful').loadGenerator, JSON.stringify(stats(true)));
  writeFileSync(trialFiles(dir, 'stateless').loadGenerator, JSON.stringify(stats(false)));

  it('puts the figures, on the trial’s timeline, into results.json, and a caveat on its latency checks only', async () => {
    const outcome = await finishRun(dir, { cliThresholds: [cli('*', 'p95_ms', 1000), cli('*', 'error_rate', 0.5)] });
    const [stateful, stateless] = outcome.results.trials;
    expect(stateful!.loadGenerator).toMatchObject({ saturated: true, reasons: ['event-loop delay p99 168.0 ms > 10 ms'], cpuCoreFraction: 0.61 });
    expect(stateful!.loadGenerator!.seconds.map((slice) => slice.tMs)).toEqual([-20, 980]);
    expect(stateless!.loadGenerator!.saturated).toBe(false);

    // The gate still passes (a caveat, not a failure) and says so where a reader looks.
    expect(outcome.exitCode).toBe(0);
    const detail = (trial: string, metric: string) => outcome.verdict.checks.find((check) => check.trial === trial && check.metric === metric)!.detail;
    expect(detail('stateful', 'p95_ms')).toContain('⚠ the load generator was saturated: this latency may be inflated by it');
    expect(detail('stateful', 'error_rate')).not.toContain('saturated');
    expect(detail('stateless', 'p95_ms')).not.toContain('saturated');

    const summary = readFileSync(runFiles(dir).summaryMd, 'utf8');
    expect(summary).toMatch(/\| p95 latency \(whole trial\) \| [^|]* ⚠ \| [^|⚠]* \|/);
    expect(summary).toContain('### Load generator');
    expect(summary).toContain('- ⚠️ **stateful**: the load generator was saturated (event-loop delay p99 168.0 ms &gt; 10 ms)');
    expect(summary).not.toMatch(/\*\*stateless\*\*: the load generator/);

    const html = readFileSync(runFiles(dir).reportHtml, 'utf8');
    expect(html).toContain('id="load-generator"');
    expect(html.match(/class="caveat"/g)).toHaveLength(2);
    expect(html).toContain('⚠ saturated: event-loop delay p99 168 ms');
  });

  it('has no figures (null) when the engine wrote none, and refuses a malformed file', async () => {
    const other = path.join(work, 'k6-run');
    writeSyntheticRun(other, [{ trial: { name: 'stateful', architecture: 'stateful', t0: T0, endedAt: T0 + 2000, initialReplicas: ['app-1'] }, requests: requests() }]);
    const outcome = await finishRun(other);
    expect(outcome.results.trials[0]!.loadGenerator).toBeNull();
    expect(readFileSync(runFiles(other).summaryMd, 'utf8')).not.toContain('Load generator');

    writeFileSync(trialFiles(other, 'stateful').loadGenerator, '{"saturated": "yes"}');
    await expect(finishRun(other)).rejects.toMatchObject({ code: 'E_ANALYSIS_INPUT', message: expect.stringMatching(/load-generator\.json: not the load generator's figures/) });
  });
});
