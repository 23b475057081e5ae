import { appendFile } from 'node:fs/promises';
import { z } from 'zod';
import { judgeLines, type LineQuality } from './bad-lines.ts';
import { readTextIfPresent, writeTextAtomically } from './file-text.ts';
import type { RunFileKind } from './run-file-error.ts';

export interface NdjsonRecords<T> {
  present: boolean;
  bytes: number;
  records: T[];
  /** A warning when a few lines are not valid JSON or not of the expected shape (they are skipped); many throw. */
  problems: string[];
}

/**
 * A small NDJSON file of a trial (events, load balancer states and counters: one line per fault or
 * change, not per request), read whole. Its lines carry no version of their own: they change with
 * trial.json's version, which is read first.
 */
export interface NdjsonRunFile<T> {
  /** Every line of the expected shape; a missing file is an empty list (a trial without faults writes none). */
  read(file: string): Promise<NdjsonRecords<T>>;
  write(file: string, records: readonly T[]): Promise<void>;
  /** One more line, for files written as things happen. */
  append(file: string, record: T): Promise<void>;
}

export function ndjsonRunFile<T>(line: z.ZodType<T>, kind: RunFileKind): NdjsonRunFile<T> {
  const lineText = (record: T): string => {
    line.parse(record);
    return `${JSON.stringify(record)}\n`;
  };
  return {
    read: async (file) => {
      const text = await readTextIfPresent(file, kind);
      if (text === undefined) return { present: false, bytes: 0, records: [], problems: [] };
      const { records, quality } = parseLines(text, line);
      const warning = judgeLines(file, quality, kind);
      return { present: true, bytes: Buffer.byteLength(text), records, problems: warning === undefined ? [] : [warning] };
    },
    write: async (file, records) => writeTextAtomically(file, records.map(lineText).join('')),
    append: async (file, record) => appendFile(file, lineText(record)),
  };
}

function parseLines<T>(text: string, line: z.ZodType<T>): { records: T[]; quality: LineQuality } {
  const records: T[] = [];
  const quality: LineQuality = { lines: 0, bad: 0, first: undefined };
  const bad = (number: number, reason: string): void => {
    quality.bad++;
    quality.first ??= { line: number, reason };
  };
  text.split('\n').forEach((content, index) => {
    if (content.trim() === '') return;
    quality.lines++;
    let json: unknown;
    try {
      json = JSON.parse(content);
    } catch {
      bad(index + 1, 'not JSON');
      return;
    }
    const parsed = line.safeParse(json);
    if (parsed.success) records.push(parsed.data);
    else bad(index + 1, z.prettifyError(parsed.error).replaceAll('\n', ' '));
  });
  return { records, quality };
}
