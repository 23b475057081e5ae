import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { defaultLbSettings } from '../../../targets/lb/lb-settings.ts';
import { lbSettingsFile } from './lb-settings.ts';
import { loadGeneratorFile } from './load-generator.ts';

const work = mkdtempSync(path.join(os.tmpdir(), 'run-files-settings-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));
const fileWith = (name: string, content: unknown): string => {
  const file = path.join(work, name);
  writeFileSync(file, JSON.stringify(content));
  return file;
};

const stats = {
  schemaVersion: 1,
  engine: 'builtin',
  startedAt: '2026-12-01T12:00:00.000Z',
  resolutionMs: 5,
  eventLoopDelayMs: { p50: 1, p99: 4, max: 9, samples: 100 },
  cpu: { userMs: 500, systemMs: 100, wallMs: 1000, coreFraction: 0.6 },
  seconds: [{ t: 0, wallMs: 1000, delayP99Ms: 4, delayMaxMs: 9, coreFraction: 0.6 }],
  bounds: { delayP99Ms: 10, coreFractionAverage: 0.9, coreFractionSustained: 0.95, sustainedSeconds: 3, minSliceMs: 500 },
  rule: 'saturated when …',
  saturated: false,
  reasons: [],
};

describe('lb-settings.json', () => {
  it('is the settings alone, as version 1 always was (it says no version)', async () => {
    const file = path.join(work, 'lb-settings.json');
    await lbSettingsFile.write(file, defaultLbSettings('stateful'));
    expect(JSON.parse(readFileSync(file, 'utf8'))).toEqual(defaultLbSettings('stateful'));
    await expect(lbSettingsFile.read(file)).resolves.toEqual(defaultLbSettings('stateful'));
  });

  it('refuses a later version by number, and settings of the wrong shape by name', async () => {
    const newer = fileWith('newer.json', { ...defaultLbSettings('stateless'), schemaVersion: 2 });
    await expect(lbSettingsFile.read(newer)).rejects.toMatchObject({ code: 'E_ANALYSIS_INPUT', message: `${newer}: schema version 2, this harness reads version 1` });
    await expect(lbSettingsFile.read(fileWith('bad.json', { connectTimeoutMs: 'fast' }))).rejects.toThrow(/bad\.json: not load balancer settings/);
  });
});

describe('load-generator.json', () => {
  it('reads what the built-in engine writes (version 1)', async () => {
    await expect(loadGeneratorFile.read(fileWith('load-generator.json', stats))).resolves.toEqual(stats);
  });

  it('refuses a newer version, and a file that says no version is not the figures', async () => {
    const newer = fileWith('newer.json', { ...stats, schemaVersion: 2 });
    await expect(loadGeneratorFile.read(newer)).rejects.toMatchObject({ message: `${newer}: schema version 2, this harness reads version 1`, exitCode: 2 });
    await expect(loadGeneratorFile.read(fileWith('bare.json', { saturated: 'yes' }))).rejects.toThrow(/bare\.json: not the load generator's figures/);
  });
});
