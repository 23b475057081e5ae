import { z } from 'zod';

/**
 * A field read leniently: missing or malformed, it is null, and a report shows "–" there. For what a
 * report may show without (metadata), never for what decides an outcome (thresholds, trial lists).
 */
export function lenient<T extends z.ZodType>(schema: T) {
  return schema
    .nullish()
    .catch(null)
    .transform((value) => value ?? null);
}
