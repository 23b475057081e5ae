import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { resultsJsonSchema } from './results-schema.ts';

/** Where the published JSON Schema of results.json lives (committed; a test keeps it current). */
export const RESULTS_SCHEMA_FILE = fileURLToPath(new URL('./results.schema.json', import.meta.url));

/** The exact text of the published schema file. */
export function resultsSchemaText(): string {
  return `${JSON.stringify(resultsJsonSchema(), null, 2)}\n`;
}

// `npx tsx harness/analysis/publish-schema.ts` regenerates the file after a schema change.
if (process.argv[1] !== undefined && fileURLToPath(import.meta.url) === process.argv[1]) {
  writeFileSync(RESULTS_SCHEMA_FILE, resultsSchemaText());
  console.log(`wrote ${RESULTS_SCHEMA_FILE}`);
}
