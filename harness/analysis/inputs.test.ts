import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { faultEventsFile } from '../core/run-files/index.ts';
import { readTrialRecord } from './inputs.ts';
import { faultEvent } from './testing/synthetic-run.ts';

const workDir = mkdtempSync(path.join(os.tmpdir(), 'analysis-inputs-'));
afterAll(() => rmSync(workDir, { recursive: true, force: true }));

describe('trial inputs', () => {
  it('reads trial.json with the fields the orchestrator writes, ignoring the others', async () => {
    const file = path.join(workDir, 'trial.json');
    writeFileSync(
      file,
      JSON.stringify({
        architecture: 'stateful',
        t0: 1000,
        endedAt: 5000,
        initialReplicas: ['app-1'],
        faultWindowMs: 10000,
        lbUrl: 'http://127.0.0.1:1',
      }),
    );
    await expect(readTrialRecord(file)).resolves.toMatchObject({
      architecture: 'stateful',
      t0: 1000,
      endedAt: 5000,
      faultWindowMs: 10000,
    });
  });

  it('refuses a trial.json without t0, naming the file and the field', async () => {
    const file = path.join(workDir, 'bad-trial.json');
    writeFileSync(file, JSON.stringify({ architecture: 'stateful', endedAt: 5000, initialReplicas: [] }));
    await expect(readTrialRecord(file)).rejects.toThrow(/bad-trial\.json: not a trial record[\s\S]*t0/);
    await expect(readTrialRecord(path.join(workDir, 'missing.json'))).rejects.toMatchObject({ code: 'E_ANALYSIS_INPUT' });
  });

  it('reads events line by line, reporting a few lines it cannot use, and refusing a corrupted file', async () => {
    const file = path.join(workDir, 'events.ndjson');
    const good = faultEvent({ index: 0, action: 'kill', targets: ['app-2'], startedAt: 2000 });
    const line = `${JSON.stringify(good)}\n`;
    writeFileSync(file, `${line}{"type":"fault","action":"explode"}\n${line}${line}\n`);
    const events = await faultEventsFile.read(file);
    expect(events.records).toEqual([good, good, good]);
    expect(events.problems).toEqual([expect.stringMatching(/^events\.ndjson: 1 of 4 line\(s\) cannot be read and were skipped \(first: line 2: /)]);
    // Mostly garbage is not a damaged file but a corrupted one: refused, naming the file and the line.
    writeFileSync(file, `${line}{"type":"fault","action":"explode"}\nnot json\n`);
    await expect(faultEventsFile.read(file)).rejects.toMatchObject({
      code: 'E_ANALYSIS_INPUT',
      message: expect.stringMatching(/events\.ndjson: corrupted: 2 of 3 line\(s\) cannot be read; the first is line 2: /),
    });
    await expect(faultEventsFile.read(path.join(workDir, 'none.ndjson'))).resolves.toMatchObject({
      present: false,
      records: [],
    });
  });
});
