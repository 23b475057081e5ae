import { z } from 'zod';
import { ndjsonRunFile } from './ndjson-run-file.ts';
import { TRIAL_FILES_KIND } from './run-file-error.ts';

/**
 * HAProxy's own counters: what it received and what each server was sent, exact (no sampling, no
 * log line to lose). `lb-counters.ndjson` holds one snapshot per line, taken at each fault, whenever
 * a server slot loses or changes its address (so a slot's totals can be split between the replicas
 * that held it), and at the end of the trial. Counters are totals since the load balancer started.
 */

const count = z.number();

/** Responses by status class, as HAProxy counts them (`hrsp_*`). */
const LbResponseCountsSchema = z.object({ '1xx': count, '2xx': count, '3xx': count, '4xx': count, '5xx': count, other: count });
export type LbResponseCounts = z.infer<typeof LbResponseCountsSchema>;

/** HTTP requests (`req_tot`: the frontend's received from clients, a backend's or server's sent to it) and their responses. */
const requestCounts = { requests: count, responses: LbResponseCountsSchema };

const LbFrontendCountersSchema = z.object({
  ...requestCounts,
  /** Requests HAProxy could not parse or that timed out before being complete (`ereq`). */
  requestErrors: count,
  /** Client connections accepted (`conn_tot`). */
  connections: count,
});
export type LbFrontendCounters = z.infer<typeof LbFrontendCountersSchema>;

const LbTrafficCountersSchema = z.object({
  ...requestCounts,
  /** Connections that failed to establish (`econ`): refused, or timed out (`timeout connect`). */
  connectionErrors: count,
  /** Responses that failed: closed or reset by the server, or timed out (`eresp`). */
  responseErrors: count,
  /** Connection attempts retried (`wretr`) and requests sent to another server for it (`wredis`). */
  retries: count,
  redispatches: count,
  /** Transfers aborted by the client (`cli_abrt`) or by the server (`srv_abrt`). */
  clientAborts: count,
  serverAborts: count,
});
export type LbTrafficCounters = z.infer<typeof LbTrafficCountersSchema>;

const LbServerCountersSchema = LbTrafficCountersSchema.extend({
  slot: z.string(),
  /** The slot's address at the snapshot, when it had one. */
  address: z.string().nullable(),
  /** The replica holding that address at the snapshot (mapped by the harness), when known. */
  replica: z.string().nullable(),
  /** HAProxy's status word: UP, DOWN, MAINT, "MAINT (resolution)", … */
  status: z.string(),
});
export type LbServerCounters = z.infer<typeof LbServerCountersSchema>;

/** A log target (`sink`) and how many lines it dropped: stdout drops when its pipe is full. */
const LbLogSinkSchema = z.object({ name: z.string(), type: z.string(), dropped: count });
export type LbLogSink = z.infer<typeof LbLogSinkSchema>;

const LbCountersSnapshotSchema = z.object({
  /** Epoch ms when HAProxy answered. */
  time: z.number(),
  /** Why it was taken: `fault` (after fault `faultIndex`), `slot` (a slot lost or changed its address), `end`. */
  reason: z.enum(['fault', 'slot', 'end']),
  faultIndex: z.number().optional(),
  action: z.string().optional(),
  frontend: LbFrontendCountersSchema,
  backend: LbTrafficCountersSchema,
  servers: z.array(LbServerCountersSchema),
  logSinks: z.array(LbLogSinkSchema),
  /** Lines the harness has received from HAProxy's event ring so far, and access lines among them. */
  streamedLines: z.number().optional(),
  streamedAccessLines: z.number().optional(),
});
export type LbCountersSnapshot = z.infer<typeof LbCountersSnapshotSchema>;

/** trials/<name>/lb-counters.ndjson, saved when the trial ends from the snapshots the cluster kept. */
export const lbCountersFile = ndjsonRunFile(LbCountersSnapshotSchema, TRIAL_FILES_KIND);
