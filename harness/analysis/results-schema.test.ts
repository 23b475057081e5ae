import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { afterAll, describe, expect, it } from 'vitest';
import { analyzeRun } from './analyze-run.ts';
import { RESULTS_SCHEMA_FILE, resultsSchemaText } from './publish-schema.ts';
import { writeResults } from './results-file.ts';
import { faultEvent, writeSyntheticRun, type SyntheticRequest } from './testing/synthetic-run.ts';

const T0 = Date.UTC(2026, 10, 28, 12, 0, 0);
const workDir = mkdtempSync(path.join(os.tmpdir(), 'analysis-schema-'));
afterAll(() => rmSync(workDir, { recursive: true, force: true }));

function steadyRequests(seconds: number, failUntil = 0): SyntheticRequest[] {
  return Array.from({ length: seconds * 50 }, (_, k) => {
    const time = T0 + k * 20 + 3;
    const failed = time - T0 < failUntil;
    return { time, durationMs: 3 + (k % 7), failed, replica: failed ? 'none' : `app-${(k % 2) + 1}`, session: `s-${k % 5}` };
  });
}

describe('results.json schema', () => {
  it('is published: results.schema.json matches the zod schema (run `npx tsx harness/analysis/publish-schema.ts`)', () => {
    expect(readFileSync(RESULTS_SCHEMA_FILE, 'utf8')).toBe(resultsSchemaText());
  });

  it('validates what analyzeRun writes, against the published file', async () => {
    const runDir = path.join(workDir, 'run-1');
    writeSyntheticRun(
      runDir,
      [
        {
          trial: { name: 'stateful', architecture: 'stateful', t0: T0, endedAt: T0 + 20_000, initialReplicas: ['app-1', 'app-2'] },
          requests: steadyRequests(20),
          events: [faultEvent({ index: 0, action: 'kill', targets: ['app-2'], startedAt: T0 + 10_000 })],
          sessionsLost: [{ time: T0 + 12_000, session: 's-1' }],
        },
        {
          trial: { name: 'stateless', architecture: 'stateless', t0: T0, endedAt: T0 + 20_000, initialReplicas: ['app-1', 'app-2'] },
          requests: steadyRequests(20),
        },
      ],
      { runId: 'run-1', trials: ['stateful', 'stateless'] },
    );
    const results = await analyzeRun(runDir, { now: () => new Date('2026-11-28T13:00:00Z') });
    const file = await writeResults(runDir, results);
    const written: unknown = JSON.parse(readFileSync(file, 'utf8'));

    const ajv = new Ajv2020({ allErrors: true, strict: false });
    const validate = ajv.compile(JSON.parse(readFileSync(RESULTS_SCHEMA_FILE, 'utf8')) as object);
    expect(validate(written), JSON.stringify(validate.errors, null, 2)).toBe(true);

    expect(results.schemaVersion).toBe(4);
    expect(results.meta.runId).toBe('run-1');
    expect(results.meta.generatedAt).toBe('2026-11-28T13:00:00.000Z');
    expect(results.meta.inputs.map((input) => input.path)).toEqual([
      'manifest.json',
      'trials/stateful/trial.json',
      'trials/stateful/load.ndjson',
      'trials/stateful/events.ndjson',
      'trials/stateless/trial.json',
      'trials/stateless/load.ndjson',
    ]);
    expect(results.trials.map((trial) => trial.architecture)).toEqual(['stateful', 'stateless']);
    expect(results.glossary.map((entry) => entry.term)).toContain('Recovery time');

    // A document the schema must refuse: the published file is a real constraint, not a formality.
    const broken = structuredClone(written) as { trials: Array<{ totals: { errorRate: unknown } }> };
    if (broken.trials[0] !== undefined) broken.trials[0].totals.errorRate = 'low';
    expect(validate(broken)).toBe(false);
  });

  it('finds trials on disk when there is no manifest, and names the run after its directory', async () => {
    const runDir = path.join(workDir, 'run-2');
    writeSyntheticRun(runDir, [
      {
        trial: { name: 'stateless', architecture: 'stateless', t0: T0, endedAt: T0 + 5_000, initialReplicas: ['app-1'] },
        requests: steadyRequests(5),
      },
    ]);
    const results = await analyzeRun(runDir);
    expect(results.meta.runId).toBe('run-2');
    expect(results.trials).toHaveLength(1);
    // No trial had a fault: recovery is not compared at all, rather than shown as n/a everywhere.
    expect(results.comparison.find((entry) => entry.figure === 'worstRecoveryMs')).toBeUndefined();
    expect(results.comparison.find((entry) => entry.figure === 'errorRate')?.values).toHaveLength(1);
  });

  it('refuses a run directory without trials, with a stable error code', async () => {
    await expect(analyzeRun(path.join(workDir, 'nothing-here'))).rejects.toMatchObject({ code: 'E_ANALYSIS_INPUT' });
  });
});
