/** Writes harness/scenario/scenario.schema.json (npm run schema:scenario). */
import { writeFileSync } from 'node:fs';
import { JSON_SCHEMA_PATH, scenarioJsonSchemaText } from './json-schema.ts';

writeFileSync(JSON_SCHEMA_PATH, scenarioJsonSchemaText());
process.stdout.write(`wrote ${JSON_SCHEMA_PATH}\n`);
