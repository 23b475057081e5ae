import { rename, writeFile } from 'node:fs/promises';
import { runFiles } from '../core/run-layout.ts';
import { ResultsSchema, type Results } from './results-schema.ts';

/**
 * Writes results.json into the run directory, validated first, through a temporary file and a
 * rename, so a reader never sees half a file. Returns the path written.
 */
export async function writeResults(runDir: string, results: Results): Promise<string> {
  const valid = ResultsSchema.parse(results);
  const file = runFiles(runDir).results;
  const temporary = `${file}.${process.pid}.tmp`;
  await writeFile(temporary, `${JSON.stringify(valid, null, 2)}\n`);
  await rename(temporary, file);
  return file;
}
