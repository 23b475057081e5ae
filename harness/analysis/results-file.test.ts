import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../core/paths.ts';
import { readResults, readResultsIfPresent, writeResults } from './results-file.ts';

const FIXTURE = path.join(REPO_ROOT, 'harness', 'report', 'fixtures', 'real-run', 'results.json');
const work = mkdtempSync(path.join(os.tmpdir(), 'results-file-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

function runDirWith(name: string, results: string | undefined): string {
  const run = mkdtempSync(path.join(work, `${name}-`));
  if (results !== undefined) writeFileSync(path.join(run, 'results.json'), results);
  return run;
}
const fixtureWith = (change: (json: Record<string, unknown>) => void): string => {
  const json = JSON.parse(readFileSync(FIXTURE, 'utf8')) as Record<string, unknown>;
  change(json);
  return JSON.stringify(json);
};

describe('results.json', () => {
  it('reads today’s version (the real run of harness/report/fixtures), and writes it back unchanged', async () => {
    const dir = mkdtempSync(path.join(work, 'today-'));
    copyFileSync(FIXTURE, path.join(dir, 'results.json'));
    const results = await readResults(dir);
    expect(results.schemaVersion).toBe(4);
    expect(results.meta.runId).toBe('r20261201-232744-30ac');
    const copy = mkdtempSync(path.join(work, 'copy-'));
    await writeResults(copy, results);
    expect(JSON.parse(readFileSync(path.join(copy, 'results.json'), 'utf8'))).toEqual(JSON.parse(readFileSync(FIXTURE, 'utf8')));
  });

  it('refuses a newer version, naming the file, the version and the one it reads', async () => {
    const dir = runDirWith('newer', fixtureWith((json) => (json.schemaVersion = 5)));
    await expect(readResults(dir)).rejects.toMatchObject({
      code: 'E_RESULTS',
      exitCode: 2,
      message: `${path.join(dir, 'results.json')}: schema version 5, this harness reads version 4`,
      hint: expect.stringMatching(/newer harness/),
    });
  });

  it('refuses an older version, which only the raw files can rebuild', async () => {
    const dir = runDirWith('older', fixtureWith((json) => (json.schemaVersion = 3)));
    await expect(readResults(dir)).rejects.toMatchObject({
      message: expect.stringMatching(/results\.json: schema version 3, this harness reads version 4$/),
      hint: 'Rebuild it from the raw files with `harness report <run-dir>`.',
    });
  });

  it('names the line where it stops being JSON, and says when it is missing', async () => {
    const broken = runDirWith('broken', '{\n  "schemaVersion": 4,\n  "meta": {,\n}');
    await expect(readResults(broken)).rejects.toThrow(/results\.json: not valid JSON \(line 3\)/);
    const none = runDirWith('none', undefined);
    await expect(readResultsIfPresent(none)).resolves.toBeUndefined();
    await expect(readResults(none)).rejects.toMatchObject({ code: 'E_RESULTS', message: `${path.join(none, 'results.json')}: missing` });
  });
});
