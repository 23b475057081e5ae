import { z } from 'zod';
import { jsonRunFile } from './json-run-file.ts';
import { TRIAL_FILES_KIND } from './run-file-error.ts';

/**
 * What a trial's t0 is (harness/run/load-start.ts): the built-in engine's own start; for k6, the
 * earliest start of an iteration or request in the load file; in runs recorded before the harness
 * knew either, the end of the first request ("first-point").
 */
export const T0_SOURCES = ['engine-start', 'load-file', 'first-point'] as const;
export type T0Source = (typeof T0_SOURCES)[number];

export const TRIAL_RECORD_STATUSES = ['running', 'completed', 'failed', 'interrupted'] as const;
export type TrialRecordStatus = (typeof TRIAL_RECORD_STATUSES)[number];

/** The fault window of a trial.json that does not name one (glossary: 10 s after the fault's start). */
export const DEFAULT_FAULT_WINDOW_MS = 10_000;

const epochMs = z.number().nonnegative();

/**
 * trial.json, version 2: what the analysis needs to know about a trial beyond the raw files. Its
 * version also stands for the line formats of the files beside it (events, load balancer states
 * and counters), which carry none of their own.
 */
const TrialRecordSchema = z.object({
  schemaVersion: z.literal(2),
  /** The trial's name: its architecture's, or a variant's (trials/<name>/). */
  name: z.string().min(1),
  architecture: z.string().min(1),
  status: z.enum(TRIAL_RECORD_STATUSES),
  /** Epoch ms when the load began (see t0Source): t = 0 of every figure; null until it began. */
  t0: epochMs.nullable(),
  /** What t0 is; absent while t0 is null. */
  t0Source: z.enum(T0_SOURCES).optional(),
  /** Epoch ms when the load ended (or the trial was stopped). */
  endedAt: epochMs.nullable(),
  /** null in a trial.json of version 1 that did not say (one another tool wrote). */
  startedAt: epochMs.nullable(),
  clusterReadyAt: epochMs.nullable(),
  initialReplicas: z.array(z.string()),
  /** The ledger history written before the replicas started (event-sourced trials that ask for one). */
  seeded: z.object({ events: z.number(), durationMs: z.number(), wallMs: z.number() }).optional(),
  /** How long after a fault's start its window lasts (glossary, harness/analysis/glossary.ts). */
  faultWindowMs: z.number().positive(),
  /** null in a trial.json of version 1 that did not say. */
  loadDurationMs: z.number().nonnegative().nullable(),
  loadExitCode: z.number().nullable(),
  lbUrl: z.string().nullable(),
  /** Why the trial failed: the cluster did not start, or the load did not measure (harness/run/load-outcome.ts). */
  error: z.string().optional(),
  /** What the user can do about `error`. */
  hint: z.string().optional(),
  /** Problems while saving logs (the run goes on without them). */
  logProblems: z.array(z.string()).optional(),
});
export type TrialRecord = z.infer<typeof TrialRecordSchema>;

/**
 * trial.json before it said its version. Fields came one at a time, and readers filled what was
 * missing: a trial without a name is named after its architecture (runs before variants), one
 * without a status completed, a t0 without a source is the end of the first request, a missing
 * fault window the default. Trial directories written by other tools (the analysis' tests) may
 * leave out what the analysis does not read.
 */
const TrialRecordV1Schema = TrialRecordSchema.omit({ schemaVersion: true })
  .extend({
    name: z.string().min(1).optional(),
    status: z.enum(TRIAL_RECORD_STATUSES).default('completed'),
    t0: epochMs.nullish(),
    endedAt: epochMs.nullish(),
    startedAt: epochMs.nullish(),
    clusterReadyAt: epochMs.nullish(),
    faultWindowMs: z.number().positive().optional(),
    loadDurationMs: z.number().nonnegative().nullish(),
    loadExitCode: z.number().nullish(),
    lbUrl: z.string().nullish(),
  })
  .transform(({ name, t0, t0Source, endedAt, startedAt, clusterReadyAt, faultWindowMs, loadDurationMs, loadExitCode, lbUrl, ...rest }): TrialRecord => {
    const source = t0Source ?? (t0 == null ? undefined : 'first-point');
    return {
      ...rest,
      schemaVersion: 2,
      name: name ?? rest.architecture,
      t0: t0 ?? null,
      ...(source === undefined ? {} : { t0Source: source }),
      endedAt: endedAt ?? null,
      startedAt: startedAt ?? null,
      clusterReadyAt: clusterReadyAt ?? null,
      faultWindowMs: faultWindowMs ?? DEFAULT_FAULT_WINDOW_MS,
      loadDurationMs: loadDurationMs ?? null,
      loadExitCode: loadExitCode ?? null,
      lbUrl: lbUrl ?? null,
    };
  });

/** trials/<name>/trial.json, written by harness/run/run-trial.ts as the trial goes, read by the analysis. */
export const trialRecordFile = jsonRunFile({
  kind: TRIAL_FILES_KIND,
  mismatch: 'not a trial record',
  version: 2,
  schema: TrialRecordSchema,
  older: { 1: TrialRecordV1Schema },
  unversioned: 1,
});
