import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { JSON_SCHEMA_PATH, scenarioJsonSchema, scenarioJsonSchemaText } from './json-schema.ts';

describe('scenario.schema.json', () => {
  it('is up to date with the zod schema (regenerate: npm run schema:scenario)', () => {
    expect(readFileSync(JSON_SCHEMA_PATH, 'utf8')).toBe(scenarioJsonSchemaText());
  });

  it('describes what a person writes: durations as strings, required fields, descriptions, no unknown keys', () => {
    const schema = scenarioJsonSchema() as {
      required: string[];
      additionalProperties: boolean;
      properties: Record<string, { type?: string; description?: string; default?: unknown; properties?: Record<string, { type?: string }> }>;
    };
    expect(schema.required).toEqual(['name', 'architectures', 'replicas', 'load']);
    expect(schema.additionalProperties).toBe(false);
    expect(schema.properties['faultWindow']).toMatchObject({ type: 'string', default: '10s' });
    expect(schema.properties['load']?.properties?.['duration']?.type).toBe('string');
    for (const [key, property] of Object.entries(schema.properties)) expect(property.description, key).toBeTruthy();
  });
});
