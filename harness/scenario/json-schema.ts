/** The JSON Schema of scenario files, generated from the zod schema (see write-json-schema.ts). */
import path from 'node:path';
import * as z from 'zod';
import { REPO_ROOT } from '../core/paths.ts';
import { scenarioFileSchema } from './schema.ts';

export const JSON_SCHEMA_PATH = path.join(REPO_ROOT, 'harness', 'scenario', 'scenario.schema.json');

export function scenarioJsonSchema(): Record<string, unknown> {
  // io "input": the schema describes what a person writes ("20s"), not the normalised output (20000).
  const generated = z.toJSONSchema(scenarioFileSchema, { io: 'input', target: 'draft-2020-12' }) as Record<string, unknown>;
  return {
    ...generated,
    title: 'Harness scenario',
    description: 'An experiment: which architectures, how many replicas, what load, which faults when, and the pass/fail thresholds.',
  };
}

/** The file's exact text, so that a test can tell when the committed file is stale. */
export function scenarioJsonSchemaText(): string {
  return `${JSON.stringify(scenarioJsonSchema(), null, 2)}\n`;
}
