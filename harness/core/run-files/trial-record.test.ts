import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { trialRecordFile, type TrialRecord } from './trial-record.ts';

const work = mkdtempSync(path.join(os.tmpdir(), 'run-files-trial-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));
const FIXTURES = path.join(import.meta.dirname, 'fixtures');

const today: TrialRecord = {
  schemaVersion: 2,
  name: 'snapshot-every-1k',
  architecture: 'event-sourced',
  status: 'completed',
  t0: 1_764_631_668_036,
  t0Source: 'engine-start',
  endedAt: 1_764_631_728_074,
  startedAt: 1_764_631_650_101,
  clusterReadyAt: 1_764_631_667_512,
  initialReplicas: ['app-1', 'app-2'],
  seeded: { events: 300_001, durationMs: 2811, wallMs: 3904 },
  faultWindowMs: 10_000,
  loadDurationMs: 60_000,
  loadExitCode: 0,
  lbUrl: 'http://127.0.0.1:40111',
};

describe('trial.json', () => {
  it('reads what harness run writes today (version 2)', async () => {
    const file = path.join(work, 'today.json');
    await trialRecordFile.write(file, today);
    expect(JSON.parse(readFileSync(file, 'utf8'))).toEqual(today);
    await expect(trialRecordFile.read(file)).resolves.toEqual(today);
  });

  it('writes a trial that has not started yet (no t0) as readers will read it', async () => {
    const file = path.join(work, 'running.json');
    const running: TrialRecord = { ...today, status: 'running', t0: null, endedAt: null, loadExitCode: null };
    delete running.t0Source;
    await trialRecordFile.write(file, running);
    await expect(trialRecordFile.read(file)).resolves.toEqual(running);
  });

  it('reads the first trial.json: named after its architecture, its t0 the end of the first request', async () => {
    const read = await trialRecordFile.read(path.join(FIXTURES, 'trial-v1-first.json'));
    expect(read).toMatchObject({ schemaVersion: 2, name: 'stateful', architecture: 'stateful', status: 'completed', t0Source: 'first-point', faultWindowMs: 10_000 });
  });

  it('reads the trial.json of variants, and the one that says what t0 is', async () => {
    expect(await trialRecordFile.read(path.join(FIXTURES, 'trial-v1-variants.json'))).toMatchObject({
      name: 'snapshot-every-1k',
      seeded: { events: 300_001 },
      t0Source: 'first-point',
      logProblems: ['app-9: no such container'],
    });
    expect(await trialRecordFile.read(path.join(FIXTURES, 'trial-v1-t0-source.json'))).toMatchObject({
      status: 'failed',
      t0Source: 'engine-start',
      hint: 'the load generator ran out of memory: lower the VUs',
    });
  });

  it('reads one another tool wrote with only what the analysis needs, filling in the rest', async () => {
    const file = path.join(work, 'minimal.json');
    writeFileSync(file, JSON.stringify({ architecture: 'stateless', t0: 1000, endedAt: 2000, initialReplicas: ['app-1'] }));
    await expect(trialRecordFile.read(file)).resolves.toEqual({
      schemaVersion: 2,
      name: 'stateless',
      architecture: 'stateless',
      status: 'completed',
      t0: 1000,
      t0Source: 'first-point',
      endedAt: 2000,
      startedAt: null,
      clusterReadyAt: null,
      initialReplicas: ['app-1'],
      faultWindowMs: 10_000,
      loadDurationMs: null,
      loadExitCode: null,
      lbUrl: null,
    });
  });

  it('refuses a newer version, naming the file, the version and the versions it reads', async () => {
    const file = path.join(work, 'newer.json');
    writeFileSync(file, JSON.stringify({ ...today, schemaVersion: 3 }));
    await expect(trialRecordFile.read(file)).rejects.toMatchObject({
      code: 'E_ANALYSIS_INPUT',
      exitCode: 2,
      message: `${file}: schema version 3, this harness reads versions 1 and 2`,
    });
  });

  it('refuses a record of the wrong shape, naming the file and the field', async () => {
    const file = path.join(work, 'wrong.json');
    writeFileSync(file, JSON.stringify({ ...today, initialReplicas: 'app-1' }));
    await expect(trialRecordFile.read(file)).rejects.toThrow(/wrong\.json: not a trial record[\s\S]*initialReplicas/);
  });
});
