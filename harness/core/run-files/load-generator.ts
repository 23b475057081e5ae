import { z } from 'zod';
import { jsonRunFile } from './json-run-file.ts';
import { TRIAL_FILES_KIND } from './run-file-error.ts';

/**
 * trials/<name>/load-generator.json: the built-in engine's figures about itself, written by the
 * engine (`harness load --engine-stats FILE`, whose type is harness/load/load-generator-stats.ts);
 * k6 measures nothing of itself and writes none.
 */
export const LoadGeneratorStatsSchema = z.object({
  schemaVersion: z.literal(1),
  engine: z.literal('builtin'),
  startedAt: z.string(),
  resolutionMs: z.number(),
  eventLoopDelayMs: z.object({ p50: z.number(), p99: z.number(), max: z.number(), samples: z.number() }),
  cpu: z.object({ userMs: z.number(), systemMs: z.number(), wallMs: z.number(), coreFraction: z.number() }),
  seconds: z.array(z.object({ t: z.number(), wallMs: z.number(), delayP99Ms: z.number(), delayMaxMs: z.number(), coreFraction: z.number() })),
  bounds: z.object({
    delayP99Ms: z.number(),
    coreFractionAverage: z.number(),
    coreFractionSustained: z.number(),
    sustainedSeconds: z.number(),
    minSliceMs: z.number(),
  }),
  rule: z.string(),
  saturated: z.boolean(),
  reasons: z.array(z.string()),
});

export const loadGeneratorFile = jsonRunFile({
  kind: TRIAL_FILES_KIND,
  mismatch: "not the load generator's figures",
  version: 1,
  schema: LoadGeneratorStatsSchema,
});
