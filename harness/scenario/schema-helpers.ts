/**
 * Small builders for the scenario schema. Every leaf carries its own "expected …" phrase as its
 * error, so the lines name what is allowed in the user's terms rather than zod's.
 */
import * as z from 'zod';
import { DURATION_EXAMPLES, DURATION_PATTERN, parseDuration } from './duration.ts';

/** Prefix of the message a strict object gives for unknown keys; the known keys follow, comma-separated. */
export const UNKNOWN_KEYS_MARKER = '\u0000unknown-keys:';

/** An object that rejects unknown keys (typos), remembering its known keys for "did you mean". */
export function strict<Shape extends z.core.$ZodLooseShape>(shape: Shape): z.ZodObject<Shape, z.core.$strict> {
  const known = Object.keys(shape).filter((key) => key !== '$schema');
  return z.strictObject(shape, {
    error: (issue) => (issue.code === 'unrecognized_keys' ? `${UNKNOWN_KEYS_MARKER}${known.join(',')}` : undefined),
  });
}

export function intBetween(min: number, max: number, expected = `an integer from ${min} to ${max}`): z.ZodInt {
  return z.int({ error: expected }).min(min, { error: expected }).max(max, { error: expected });
}

/** A duration string → milliseconds, within [minMs, maxMs]. */
export function duration(
  minMs: number,
  maxMs: number,
  expected = DURATION_EXAMPLES,
): z.ZodPipe<z.ZodString, z.ZodTransform<number, string>> {
  return z
    .string({ error: expected })
    .regex(DURATION_PATTERN, { error: expected })
    .refine((text) => {
      const ms = parseDuration(text);
      return ms !== undefined && ms >= minMs && ms <= maxMs;
    }, { error: expected })
    .transform((text) => parseDuration(text) ?? 0);
}

export function oneOf<const Values extends readonly [string, ...string[]]>(values: Values, expected?: string): z.ZodEnum<{ [K in Values[number]]: K }> {
  const phrase = expected ?? `one of ${values.map((v) => JSON.stringify(v)).join(', ')}`;
  return z.enum(values, { error: phrase });
}

/**
 * A string of at most `max` characters, counted as people and JSON Schema's maxLength count them:
 * code points, so an emoji is one character (zod's .max counts UTF-16 units, an emoji as two).
 */
export function textUpTo(max: number, expected: string): z.ZodString {
  return z
    .string({ error: expected })
    .refine((text) => text.length <= max || [...text].length <= max, { error: expected })
    .meta({ maxLength: max });
}
