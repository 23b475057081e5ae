import { z } from 'zod';
import { ndjsonRunFile } from './ndjson-run-file.ts';
import { TRIAL_FILES_KIND } from './run-file-error.ts';

/** A load balancer server state change, at HAProxy's own time, mapped to the replica that held the slot. */
const LbStateRecordSchema = z.object({
  time: z.number(),
  slot: z.string(),
  state: z.enum(['up', 'down', 'maint', 'address']),
  replica: z.string().nullable(),
  address: z.string().optional(),
  reason: z.string(),
});
export type LbStateRecord = z.infer<typeof LbStateRecordSchema>;

/** trials/<name>/lb-states.ndjson, saved when the trial ends. */
export const lbStatesFile = ndjsonRunFile(LbStateRecordSchema, TRIAL_FILES_KIND);
