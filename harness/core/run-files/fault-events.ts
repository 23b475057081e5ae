import { z } from 'zod';
import { FAULT_ACTIONS } from '../fault-actions.ts';
import { ndjsonRunFile } from './ndjson-run-file.ts';
import { TRIAL_FILES_KIND } from './run-file-error.ts';

const FaultOperationSchema = z.object({
  target: z.string(),
  containerId: z.string(),
  requestedAt: z.number(),
  completedAt: z.number(),
  phases: z.record(z.string(), z.number()),
});

/** One line of events.ndjson: one executed fault, as harness/faults/fault-event.ts describes it. */
export const FaultEventSchema = z.object({
  type: z.literal('fault'),
  index: z.number().int(),
  action: z.enum(FAULT_ACTIONS),
  selector: z.string(),
  targets: z.array(z.string()),
  scheduledOffsetMs: z.number(),
  scheduledAt: z.number(),
  startedAt: z.number(),
  endedAt: z.number(),
  startDelayMs: z.number(),
  outcome: z.enum(['ok', 'failed', 'skipped']),
  error: z.string().optional(),
  operations: z.array(FaultOperationSchema),
  revert: z.boolean().optional(),
});

/** trials/<name>/events.ndjson, written by the fault timeline as each fault ends. */
export const faultEventsFile = ndjsonRunFile(FaultEventSchema, TRIAL_FILES_KIND);
