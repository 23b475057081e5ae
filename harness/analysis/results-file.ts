import { jsonRunFile, runFiles, type RunFileKind } from '../core/run-files/index.ts';
import { RESULTS_SCHEMA_VERSION, ResultsSchema, type Results } from './results-schema.ts';

const RESULTS_KIND: RunFileKind = { code: 'E_RESULTS', hint: 'Rebuild it from the raw files with `harness report <run-dir>`.' };

/**
 * <run>/results.json: every figure of a run, the only file reports, gates and comparisons read. It
 * is the analysis' product, so its format lives here (results-schema.ts), read and written like
 * every other run file. No older version is read: their figures cannot be migrated without the
 * raw files, from which `harness report` rebuilds it.
 */
const resultsFile = jsonRunFile({
  kind: RESULTS_KIND,
  mismatch: 'does not match the results schema',
  version: RESULTS_SCHEMA_VERSION,
  schema: ResultsSchema,
});

/** results.json of a run, validated. */
export function readResults(runDir: string): Promise<Results> {
  return resultsFile.read(runFiles(runDir).results);
}

/** Like readResults; undefined when the file does not exist. */
export function readResultsIfPresent(runDir: string): Promise<Results | undefined> {
  return resultsFile.readIfPresent(runFiles(runDir).results);
}

/** Writes results.json into the run directory, validated first, so that a reader never sees half a file. Returns the path written. */
export async function writeResults(runDir: string, results: Results): Promise<string> {
  const file = runFiles(runDir).results;
  await resultsFile.write(file, results);
  return file;
}
