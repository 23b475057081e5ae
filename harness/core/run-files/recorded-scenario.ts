import { z } from 'zod';
import { FAULT_ACTIONS } from '../fault-actions.ts';
import { THRESHOLD_METRICS, THRESHOLD_SCOPES } from '../thresholds.ts';
import { lenient } from './lenient.ts';

/**
 * The scenario as a run's manifest records it: the validated scenario the plan was made from,
 * written whole (harness/scenario/types.ts). The schema names what readers use, and reads it
 * leniently (lenient.ts). Only the thresholds are read strictly, because dropping a bad one would
 * let a gate pass that should fail.
 *
 * Typed here, not as the scenario stage's type, because this is a file format: the scenario may
 * change, and a manifest already written must still be read. A change to it that readers can
 * notice bumps the manifest's version.
 */

const text = lenient(z.string());
const number = lenient(z.number());

/** A list read entry by entry: an entry that does not parse is left out, the others are kept. */
function entriesThatParse<T>(entry: z.ZodType<T>) {
  return z
    .array(z.unknown())
    .catch([])
    .transform((entries) => entries.flatMap((candidate) => {
      const parsed = entry.safeParse(candidate);
      return parsed.success ? [parsed.data] : [];
    }));
}

const RecordedThresholdSchema = z.strictObject({
  metric: z.enum(THRESHOLD_METRICS),
  max: z.number().min(0),
  scope: z.enum(THRESHOLD_SCOPES).default('trial'),
});

const RecordedFaultSchema = z.object({
  index: z.number(),
  /** The offset as written ("20s", "33%"). */
  at: text,
  atMs: number,
  action: z.enum(FAULT_ACTIONS),
  target: lenient(z.union([z.string(), z.number()])),
  count: number,
  forMs: number,
});

const RecordedShapeSchema = z.object({
  executor: z.string(),
  vus: number,
  durationMs: number,
  rate: number,
  timeUnitMs: number,
  stages: lenient(z.array(z.object({ durationMs: z.number(), target: z.number() }))),
});

const scenarioFields = {
  name: text,
  description: text,
  /** The file it came from. */
  source: text,
  seed: number,
  /** The trials in order: each an architecture under a name. */
  trials: lenient(z.array(z.object({ name: z.string(), architecture: z.string() }))),
  replicas: number,
  faultWindowMs: number,
  load: lenient(
    z.object({
      /** Absolute path. */
      script: text,
      scriptAsWritten: text,
      engine: text,
      shape: lenient(RecordedShapeSchema),
      durationMs: number,
    }),
  ),
  faults: entriesThatParse(RecordedFaultSchema),
  /** Per architecture (or "*"), as the scenario resolved them. */
  thresholds: z.record(z.string(), z.array(RecordedThresholdSchema)).default({}),
};

export const RecordedScenarioSchema = z.object(scenarioFields);
export type RecordedScenario = z.output<typeof RecordedScenarioSchema>;

/**
 * A version-1 manifest's scenario: one from before trial variants lists only `architectures`, each
 * a trial named after itself.
 */
export const RecordedScenarioV1Schema = z
  .object({ ...scenarioFields, architectures: lenient(z.array(z.unknown())) })
  .transform(({ architectures, ...scenario }): RecordedScenario => {
    if (scenario.trials != null || architectures == null) return scenario;
    const named = architectures.filter((entry) => typeof entry === 'string');
    return { ...scenario, trials: named.map((architecture) => ({ name: architecture, architecture })) };
  });
