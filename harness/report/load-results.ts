import { readFile } from 'node:fs/promises';
import { stat } from 'node:fs/promises';
import { z } from 'zod';
import { analyzeRun, ResultsSchema, RESULTS_SCHEMA_VERSION, writeResults, type Results } from '../analysis/index.ts';
import { HarnessError } from '../core/errors.ts';
import { runFiles } from '../core/run-layout.ts';

/**
 * How a command gets results.json: "always" re-analyses the raw files (harness report, harness run);
 * "if-missing" reads results.json and analyses only when there is none (harness gate); "never" only
 * reads it.
 */
export type AnalysisMode = 'always' | 'if-missing' | 'never';

export interface ObtainResultsOptions {
  analysis: AnalysisMode;
  /** Write a freshly analysed results.json into the run directory (false for read-only commands). */
  write: boolean;
  now?: () => Date;
}

export class ResultsError extends HarnessError {
  constructor(file: string, problem: string, hint: string, cause?: unknown) {
    super('E_RESULTS', `${file}: ${problem}`, { hint, exitCode: 2, cause });
    this.name = 'ResultsError';
  }
}

/** Fails with a clear message when the path is not a directory at all. */
export async function assertRunDir(runDir: string): Promise<void> {
  let isDirectory = false;
  try {
    isDirectory = (await stat(runDir)).isDirectory();
  } catch {
    isDirectory = false;
  }
  if (!isDirectory) {
    throw new HarnessError('E_RUN_DIR', `${runDir}: no such run directory`, {
      hint: 'Name a directory under reports/ that `harness run` wrote, e.g. reports/r20261128-214405-6072.',
      exitCode: 2,
    });
  }
}

/** results.json of a run, validated; undefined when the file does not exist. */
export async function readResults(runDir: string): Promise<Results | undefined> {
  const file = runFiles(runDir).results;
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    if (typeof error === 'object' && error !== null && 'code' in error && error.code === 'ENOENT') return undefined;
    throw new ResultsError(file, 'cannot be read', 'Check the file permissions.', error);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new ResultsError(file, 'not valid JSON', 'Rebuild it from the raw files with `harness report <run-dir>`.', error);
  }
  const version = typeof json === 'object' && json !== null && 'schemaVersion' in json ? json.schemaVersion : undefined;
  if (version !== RESULTS_SCHEMA_VERSION) {
    throw new ResultsError(
      file,
      `schema version ${JSON.stringify(version)}, this harness reads version ${RESULTS_SCHEMA_VERSION}`,
      'Rebuild it from the raw files with `harness report <run-dir>`.',
    );
  }
  const parsed = ResultsSchema.safeParse(json);
  if (!parsed.success) {
    throw new ResultsError(file, `does not match the results schema: ${z.prettifyError(parsed.error)}`, 'Rebuild it from the raw files with `harness report <run-dir>`.');
  }
  return parsed.data;
}

/** results.json as the mode asks: read, or analysed from the raw files (and written when asked). */
export async function obtainResults(runDir: string, options: ObtainResultsOptions): Promise<{ results: Results; analysed: boolean }> {
  await assertRunDir(runDir);
  if (options.analysis !== 'always') {
    const existing = await readResults(runDir);
    if (existing !== undefined) return { results: existing, analysed: false };
    if (options.analysis === 'never') {
      throw new ResultsError(runFiles(runDir).results, 'missing', 'Build it from the raw files with `harness report <run-dir>`.');
    }
  }
  const results = await analyzeRun(runDir, options.now === undefined ? {} : { now: options.now });
  if (options.write) await writeResults(runDir, results);
  return { results, analysed: true };
}
