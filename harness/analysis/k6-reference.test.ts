import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { analyzeTrial } from './analyze-trial.ts';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const REFERENCE = path.resolve(repoRoot, '../shared/k6-reference/v0.49.0/k6-out.ndjson');
const workDir = mkdtempSync(path.join(os.tmpdir(), 'analysis-k6-'));
afterAll(() => rmSync(workDir, { recursive: true, force: true }));

interface ReferencePoint {
  metric: string;
  value: number;
}

/** The reference file read the plain way, as the truth the streaming parser must match. */
function referencePoints(): ReferencePoint[] {
  return readFileSync(REFERENCE, 'utf8')
    .split('\n')
    .filter((line) => line !== '')
    .map((line) => JSON.parse(line) as { type: string; metric: string; data: { value: number } })
    .filter((line) => line.type === 'Point')
    .map((line) => ({ metric: line.metric, value: line.data.value }));
}

describe('real k6 v0.49.0 output', () => {
  it('parses without error and gives its known request count', async () => {
    const trialDir = path.join(workDir, 'reference');
    // The run took place at 20:30:36–38 UTC; the trial brackets it.
    const t0 = Date.parse('2026-11-28T20:30:36Z');
    mkdirSync(trialDir, { recursive: true });
    writeFileSync(
      path.join(trialDir, 'trial.json'),
      JSON.stringify({ architecture: 'reference', t0, endedAt: t0 + 5000, initialReplicas: [] }),
    );
    copyFileSync(REFERENCE, path.join(trialDir, 'load.ndjson'));

    const result = await analyzeTrial(trialDir);
    const truth = referencePoints();
    const durations = truth
      .filter((p) => p.metric === 'http_req_duration')
      .map((p) => p.value)
      .sort((a, b) => a - b);

    expect(result.totals.requests).toBe(201);
    // handleSummary's http_req_failed: passes = 6 (k6 counts a 1 as a pass of the rate).
    expect(result.totals.failed).toBe(6);
    expect(result.totals.errorRate).toBeCloseTo(6 / 201, 12);
    expect(result.totals.latency.count).toBe(201);
    expect(result.totals.latency.maxMs).toBe(31.720998);
    const median = durations[Math.round(0.5 * durations.length) - 1] ?? Number.NaN;
    expect(Math.abs((result.totals.latency.p50Ms ?? 0) - median)).toBeLessThanOrEqual(median * 0.001 + 0.001);
    // Every Point line took the fast path; only the Metric lines were JSON.parse'd.
    const load = result.inputs.load;
    expect(load.malformedLines).toBe(0);
    expect(load.slowPathLines).toBe(load.metricDefinitions);
    expect(load.pointsKept + load.pointsSkipped).toBe(truth.length);
    expect(load.pointsBeforeT0 + load.pointsAfterEnd).toBe(0);
    // Its session_lost is a Rate of zeros: nothing was lost.
    expect(result.totals.sessionsLost).toBe(0);
    expect(result.seconds.reduce((sum, second) => sum + second.requests, 0)).toBe(201);
  });
});
