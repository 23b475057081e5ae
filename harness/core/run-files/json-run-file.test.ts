import { existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { jsonRunFile } from './json-run-file.ts';
import { RunFileError } from './run-file-error.ts';

const work = mkdtempSync(path.join(os.tmpdir(), 'run-files-json-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

const kind = { code: 'E_TEST', hint: 'rebuild it' };
/** A format that renamed `count` to `total` in version 3, and said no version in version 1. */
const counter = jsonRunFile({
  kind,
  mismatch: 'not a counter',
  version: 3,
  schema: z.object({ schemaVersion: z.literal(3), total: z.number() }),
  older: {
    1: z.object({ count: z.number() }).transform(({ count }) => ({ schemaVersion: 3 as const, total: count })),
    2: z.object({ schemaVersion: z.literal(2), count: z.number() }).transform(({ count }) => ({ schemaVersion: 3 as const, total: count })),
  },
  unversioned: 1,
});
const fileWith = (name: string, text: string): string => {
  const file = path.join(work, name);
  writeFileSync(file, text);
  return file;
};

describe('a versioned JSON run file', () => {
  it('reads the current version, and each older one into the current shape', async () => {
    await expect(counter.read(fileWith('v3.json', '{"schemaVersion": 3, "total": 5}'))).resolves.toEqual({ schemaVersion: 3, total: 5 });
    await expect(counter.read(fileWith('v2.json', '{"schemaVersion": 2, "count": 4}'))).resolves.toEqual({ schemaVersion: 3, total: 4 });
    await expect(counter.read(fileWith('v1.json', '{"count": 3}'))).resolves.toEqual({ schemaVersion: 3, total: 3 });
  });

  it('refuses a newer version with the versions it reads, exit code 2 and a hint to use the newer harness', async () => {
    const file = fileWith('v9.json', '{"schemaVersion": 9, "total": 5}');
    const error: unknown = await counter.read(file).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(RunFileError);
    expect(error).toMatchObject({
      code: 'E_TEST',
      exitCode: 2,
      message: `${file}: schema version 9, this harness reads versions 1, 2 and 3`,
      hint: 'A newer harness wrote it: read it with that harness (this one writes version 3).',
    });
  });

  it('refuses a version it never knew with the format’s own hint', async () => {
    await expect(counter.read(fileWith('v0.json', '{"schemaVersion": "two"}'))).rejects.toMatchObject({
      message: expect.stringMatching(/v0\.json: schema version "two", this harness reads versions 1, 2 and 3$/),
      hint: 'rebuild it',
    });
  });

  it('names the file and what is wrong with a file of the wrong shape', async () => {
    await expect(counter.read(fileWith('shape.json', '{"schemaVersion": 3, "total": "five"}'))).rejects.toThrow(/shape\.json: not a counter: [\s\S]*total/);
  });

  it('names the line where a file stops being JSON, and says when it is missing', async () => {
    await expect(counter.read(fileWith('broken.json', '{\n  "schemaVersion": 3,\n  "total": 5,\n}\n'))).rejects.toThrow(/broken\.json: not valid JSON \(line 4\): /);
    await expect(counter.read(fileWith('cut.json', '{\n  "schemaVersion": 3,\n  "total'))).rejects.toThrow(/cut\.json: not valid JSON \(line 3\): Unterminated string/);
    const absent = path.join(work, 'absent.json');
    await expect(counter.read(absent)).rejects.toMatchObject({ code: 'E_TEST', message: `${absent}: missing` });
    await expect(counter.readIfPresent(absent)).resolves.toBeUndefined();
  });

  it('writes only what it would read back, and never half a file', async () => {
    const file = path.join(work, 'written.json');
    await counter.write(file, { schemaVersion: 3, total: 7 });
    await expect(counter.read(file)).resolves.toEqual({ schemaVersion: 3, total: 7 });
    await expect(counter.write(path.join(work, 'bad.json'), { schemaVersion: 3, total: Number.NaN })).rejects.toThrow();
    expect(existsSync(path.join(work, 'bad.json'))).toBe(false);
    expect(readdirSync(work).filter((name) => name.endsWith('.tmp'))).toEqual([]);
  });
});
