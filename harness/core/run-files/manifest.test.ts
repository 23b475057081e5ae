import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { planRun } from '../../plan/run-plan.ts';
import { loadScenario, SCENARIOS_DIR } from '../../scenario/index.ts';
import { REPO_ROOT } from '../paths.ts';
import { manifestFile, type WrittenRunManifest } from './manifest.ts';

const work = mkdtempSync(path.join(os.tmpdir(), 'run-files-manifest-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

const FIXTURES = path.join(import.meta.dirname, 'fixtures');
const fileIn = (name: string, content: unknown): string => {
  const file = path.join(work, name);
  writeFileSync(file, typeof content === 'string' ? content : JSON.stringify(content, null, 2));
  return file;
};

async function manifestOf(scenarioFile: string): Promise<WrittenRunManifest> {
  const plan = planRun(await loadScenario(path.join(SCENARIOS_DIR, scenarioFile)), 'r-today');
  return {
    schemaVersion: 2,
    runId: plan.runId,
    name: plan.name,
    source: plan.source,
    seed: plan.seed,
    status: 'completed',
    startedAt: '2026-12-02T10:00:00.000Z',
    endedAt: '2026-12-02T10:05:00.000Z',
    engine: { choice: 'auto', name: 'builtin', version: 'builtin-0.1.0' },
    images: { base: 'harness-base:1', app: 'harness-app:2', baseId: null, appId: null },
    tools: { harness: '0.1.0', node: 'v20.20.2', docker: '20.10.24', platform: 'linux-x64' },
    scenario: plan.scenario,
    trials: plan.trials.map((trial) => ({ name: trial.name, architecture: trial.architecture, dir: `trials/${trial.name}`, status: 'completed' })),
  };
}

describe('manifest.json', () => {
  it('reads what harness run writes today (version 2), with the scenario typed', async () => {
    const written = await manifestOf('thresholds.yaml');
    const file = path.join(work, 'today.json');
    await manifestFile.write(file, written);
    // Written whole: what readers do not use is kept for people.
    expect(JSON.parse(readFileSync(file, 'utf8'))).toMatchObject({ schemaVersion: 2, scenario: { maxReplicas: 16, architectures: ['stateful', 'stateless'] } });

    const read = await manifestFile.read(file);
    expect(read).toMatchObject({ schemaVersion: 2, runId: 'r-today', status: 'completed', tools: written.tools, trials: written.trials });
    expect(read.scenario?.trials).toEqual([
      { name: 'stateful', architecture: 'stateful' },
      { name: 'stateless', architecture: 'stateless' },
    ]);
    expect(read.scenario?.thresholds).toEqual(written.scenario?.thresholds);
    expect(read.scenario?.faults).toEqual([{ index: 0, at: '20s', atMs: 20_000, action: 'kill', target: 'busiest', count: 1, forMs: null }]);
    expect(read.scenario?.load?.shape?.executor).toBe('ramping-vus');
  });

  it('records a variant scenario whole, and reads its trials by name', async () => {
    const file = path.join(work, 'variants.json');
    await manifestFile.write(file, await manifestOf('recovery.yaml'));
    const trials = (await manifestFile.read(file)).scenario?.trials?.map((trial) => trial.name);
    expect(trials).toContain('snapshot-every-1k');
    expect(trials).toContain('nightly-snapshot');
    expect(readFileSync(file, 'utf8')).toContain('"seedEvents"');
  });

  it('reads a version-1 manifest whose trials have names (the real run of harness/report/fixtures)', async () => {
    const read = await manifestFile.read(path.join(REPO_ROOT, 'harness', 'report', 'fixtures', 'real-run', 'manifest.json'));
    expect(read.schemaVersion).toBe(2);
    expect(read.runId).toBe('r20261201-232744-30ac');
    expect(read.trials).toEqual([
      { name: 'stateful', architecture: 'stateful', dir: 'trials/stateful', status: 'completed' },
      { name: 'stateless', architecture: 'stateless', dir: 'trials/stateless', status: 'completed' },
    ]);
    expect(read.scenario?.faults).toHaveLength(2);
  });

  it('reads a version-1 manifest from before variants: trials and the scenario named after their architectures', async () => {
    const read = await manifestFile.read(path.join(FIXTURES, 'manifest-v1-before-variants.json'));
    expect(read.trials).toEqual([
      { name: 'stateful', architecture: 'stateful', dir: 'trials/stateful', status: 'completed' },
      { name: 'stateless', architecture: 'stateless', dir: 'trials/stateless', status: 'completed' },
    ]);
    expect(read.scenario?.trials).toEqual([
      { name: 'stateful', architecture: 'stateful' },
      { name: 'stateless', architecture: 'stateless' },
    ]);
    expect(read.engine?.name).toBe('builtin');
  });

  it('reads a manifest with no version (other tools write them) leniently: what is missing or malformed is null', async () => {
    const read = await manifestFile.read(fileIn('bare.json', { runId: 'r-bare', seed: 'forty-two', trials: ['stateful', { architecture: 'stateless', status: 'odd' }] }));
    expect(read).toMatchObject({ runId: 'r-bare', name: null, seed: null, scenario: null, engine: null });
    expect(read.trials).toEqual([
      { name: 'stateful', architecture: 'stateful', dir: 'trials/stateful', status: null },
      { name: 'stateless', architecture: 'stateless', dir: 'trials/stateless', status: null },
    ]);
    expect((await manifestFile.read(fileIn('no-trials.json', { runId: 'r' }))).trials).toEqual([]);
  });

  it('refuses a newer version, naming the file, the version and the versions it reads', async () => {
    const file = fileIn('newer.json', { ...(await manifestOf('default.yaml')), schemaVersion: 3 });
    const error: unknown = await manifestFile.read(file).catch((caught: unknown) => caught);
    expect(error).toMatchObject({
      code: 'E_MANIFEST',
      exitCode: 2,
      message: `${file}: schema version 3, this harness reads versions 1 and 2`,
      hint: expect.stringMatching(/newer harness/),
    });
  });

  it('refuses thresholds it cannot trust rather than dropping them', async () => {
    const written = await manifestOf('default.yaml');
    const file = fileIn('bad-thresholds.json', { ...written, scenario: { ...written.scenario, thresholds: { stateful: [{ metric: 'error_budget', max: 1 }] } } });
    await expect(manifestFile.read(file)).rejects.toMatchObject({ code: 'E_MANIFEST', message: expect.stringMatching(/not a run manifest[\s\S]*thresholds/) });
  });

  it('names the file and the line where it stops being JSON', async () => {
    const file = fileIn('broken.json', '{\n  "schemaVersion": 2,\n  "runId": "r",\n}\n');
    await expect(manifestFile.read(file)).rejects.toMatchObject({ code: 'E_MANIFEST', message: expect.stringMatching(/broken\.json: not valid JSON \(line 4\)/) });
    await expect(manifestFile.readIfPresent(path.join(work, 'absent.json'))).resolves.toBeUndefined();
  });
});
