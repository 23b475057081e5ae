import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { analyzeTrial } from '../analyze-trial.ts';
import { writeRealisticTrial } from './realistic-load.ts';

const workDir = mkdtempSync(path.join(os.tmpdir(), 'analysis-realistic-'));
afterAll(() => rmSync(workDir, { recursive: true, force: true }));

describe('the benchmark load', () => {
  it('is read whole, with the figures its generator built in', async () => {
    const load = writeRealisticTrial(workDir, { points: 100_000, requestsPerSecond: 200, vus: 20, requestsPerSession: 50 });
    const result = await analyzeTrial(load.trialDir);
    expect(result.inputs.load.lines).toBe(load.lines);
    expect(result.inputs.load.malformedLines).toBe(0);
    expect(result.inputs.load.slowPathLines).toBe(result.inputs.load.metricDefinitions);
    expect(result.totals.requests).toBe(load.requests);
    expect(result.totals.sessionsStarted).toBe(load.sessions);
    expect(result.warnings).toEqual([]);
    const [kill, scaleOut] = result.faults;
    // app-2's requests fail for 3 s after the kill: recovery is 3 s at 100 ms resolution.
    expect(kill?.recovery.errorsMs).toBeGreaterThanOrEqual(3000);
    expect(kill?.recoveryMs).toBeLessThanOrEqual(3100);
    expect(kill?.detectionMs).toBe(1200);
    expect(kill?.sessions?.pinnedToTarget).toBeGreaterThan(0);
    expect(scaleOut?.action).toBe('scale-out');
    // app-4 takes requests from 1.5 s after it was asked for; one request every 5 ms.
    expect(result.scaleOut[0]?.firstRequestMs).toBeGreaterThanOrEqual(1500);
    expect(result.scaleOut[0]?.firstRequestMs).toBeLessThan(1525);
  });
});
