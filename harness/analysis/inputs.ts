import { readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';
import { HarnessError } from '../core/errors.ts';
import { FAULT_ACTIONS, type FaultEvent, type LbStateRecord } from '../faults/fault-event.ts';
import type { LbSettings } from '../../targets/lb/lb-settings.ts';
import type { LoadGeneratorStats } from '../load/load-generator-stats.ts';
import { LbSettingsSchema } from './results-schema.ts';
import { T0_SOURCES, type T0Source, type TrialRecord as WrittenTrialRecord } from '../run/trial-record.ts';

/** The fault window when trial.json does not name one (glossary: 10 s after the fault's start). */
export const DEFAULT_FAULT_WINDOW_MS = 10_000;

/**
 * What the analysis needs of the `trials/<name>/trial.json` the orchestrator writes
 * (harness/run/trial-record.ts): the same fields, with the load's start and end known. Other fields
 * (LB URL, …) may be there too and are ignored. Trials written before trials had a status are
 * "completed".
 */
export type TrialRecord = Pick<WrittenTrialRecord, 'name' | 'architecture' | 'initialReplicas'> &
  Partial<Pick<WrittenTrialRecord, 'status' | 'error' | 'logProblems'>> & {
  /** Epoch ms (host clock) when the load began: t = 0 of every figure. */
  t0: number;
  /** What t0 is; trial.json files from before it was recorded have "first-point". */
  t0Source?: T0Source;
  /** Epoch ms when the load ended; points after it are outside the trial. */
  endedAt: number;
  /** Length of each fault's window in ms; default 10 000. */
  faultWindowMs?: number;
};

const epochMs = z.number().nonnegative();

const TRIAL_RECORD_STATUSES = ['running', 'completed', 'failed', 'interrupted'] as const satisfies ReadonlyArray<WrittenTrialRecord['status']>;

/**
 * The part of trial.json that says whether the trial has figures at all: a trial whose cluster never
 * came up, or whose load never started, has a trial.json with its status and error but no t0.
 */
export const TrialOutcomeSchema = z.looseObject({
  architecture: z.string().min(1).optional(),
  status: z.enum(TRIAL_RECORD_STATUSES).default('completed'),
  t0: epochMs.nullable().optional(),
  error: z.string().optional(),
});
export type TrialOutcome = z.infer<typeof TrialOutcomeSchema>;

export const TrialRecordSchema = z
  .looseObject({
    architecture: z.string().min(1),
    // Runs before trial variants existed named a trial after its architecture.
    name: z.string().min(1).optional(),
    t0: epochMs,
    t0Source: z.enum(T0_SOURCES).default('first-point'),
    endedAt: epochMs,
    initialReplicas: z.array(z.string()),
    faultWindowMs: z.number().positive().optional(),
    status: z.enum(TRIAL_RECORD_STATUSES).default('completed'),
    error: z.string().optional(),
    logProblems: z.array(z.string()).optional(),
  })
  .refine((trial) => trial.endedAt >= trial.t0, { message: 'endedAt must not be before t0', path: ['endedAt'] });

const FaultOperationSchema = z.object({
  target: z.string(),
  containerId: z.string(),
  requestedAt: z.number(),
  completedAt: z.number(),
  phases: z.record(z.string(), z.number()),
});

/** One line of events.ndjson, checked against harness/faults/fault-event.ts below. */
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

/** One line of lb-states.ndjson. */
export const LbStateRecordSchema = z.object({
  time: z.number(),
  slot: z.string(),
  state: z.enum(['up', 'down', 'maint', 'address']),
  replica: z.string().nullable(),
  address: z.string().optional(),
  reason: z.string(),
});

/** load-generator.json: the built-in engine's figures about itself (harness/load/load-generator-stats.ts). */
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

/** lb-settings.json: the settings the trial's load balancer ran with; undefined in runs recorded before it. */
export function readLbSettings(file: string): Promise<LbSettings | undefined> {
  return readOptionalJson(file, LbSettingsSchema, 'load balancer settings');
}

/** The engine's figures about itself; undefined when it wrote none (k6, or a run from before them). */
export function readLoadGeneratorStats(file: string): Promise<LoadGeneratorStats | undefined> {
  return readOptionalJson(file, LoadGeneratorStatsSchema, "the load generator's figures");
}

// The schemas must read exactly the shapes the fault timeline and the engine write: these fail to
// compile if the contracts in harness/faults/fault-event.ts or harness/load/load-generator-stats.ts
// change without them.
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
const faultEventMatches: Same<z.infer<typeof FaultEventSchema>, FaultEvent> = true;
const loadGeneratorMatches: Same<z.infer<typeof LoadGeneratorStatsSchema>, LoadGeneratorStats> = true;
void loadGeneratorMatches;
const lbStateMatches: Same<z.infer<typeof LbStateRecordSchema>, LbStateRecord> = true;
void faultEventMatches;
void lbStateMatches;

/** manifest.json, as far as the analysis reads it: the run id and the trial list. */
export const RunManifestSchema = z.looseObject({
  runId: z.string().optional(),
  error: z.string().optional(),
  trials: z
    .array(
      z.union([
        z.string(),
        z.looseObject({ architecture: z.string(), name: z.string().optional(), dir: z.string().optional(), status: z.string().optional() }),
      ]),
    )
    .optional(),
});
export type RunManifest = z.infer<typeof RunManifestSchema>;

export class AnalysisInputError extends HarnessError {
  constructor(file: string, problem: string, cause?: unknown) {
    super('E_ANALYSIS_INPUT', `${file}: ${problem}`, {
      hint: 'The analysis reads the files a run wrote; re-run the trial, or check that the path is a run (or trial) directory.',
      exitCode: 2,
      cause,
    });
    this.name = 'AnalysisInputError';
  }
}

export async function readTrialRecord(file: string): Promise<TrialRecord> {
  const data = parseJson(file, await readJson(file), TrialRecordSchema, 'a trial record');
  // Typed as the interface so that the schema and the interface cannot drift apart.
  const trial: TrialRecord = { ...data, name: data.name ?? data.architecture };
  return trial;
}

/** trial.json's outcome; undefined when the trial never wrote one (it was not run). */
export function readTrialOutcome(file: string): Promise<TrialOutcome | undefined> {
  return readOptionalJson(file, TrialOutcomeSchema, 'a trial record');
}

export function readRunManifest(file: string): Promise<RunManifest | undefined> {
  return readOptionalJson(file, RunManifestSchema, 'a run manifest');
}

/** A JSON file of a run that may be absent (undefined); present, it must be `what`, or the analysis stops naming it. */
async function readOptionalJson<T>(file: string, schema: z.ZodType<T>, what: string): Promise<T | undefined> {
  if (!(await exists(file))) return undefined;
  return parseJson(file, await readJson(file), schema, what);
}

function parseJson<T>(file: string, json: unknown, schema: z.ZodType<T>, what: string): T {
  const parsed = schema.safeParse(json);
  if (!parsed.success) throw new AnalysisInputError(file, `not ${what}: ${z.prettifyError(parsed.error)}`);
  return parsed.data;
}

export interface NdjsonRecords<T> {
  present: boolean;
  bytes: number;
  records: T[];
  /** A warning when a few lines are not valid JSON or not of the expected shape (they are skipped); many throw. */
  problems: string[];
}

/** How many lines of a file could not be used, and the first of them. */
export interface LineQuality {
  lines: number;
  bad: number;
  first: { line: number; reason: string } | undefined;
}

/** More bad lines than this, and more than 1 % of the lines, make a file corrupted rather than a little damaged. */
const TOLERATED_BAD_LINES = 10;

/**
 * A file whose lines are mostly bad, or with many bad lines, is corrupted: its figures would be
 * wrong, so the analysis refuses it (exit 2) naming the file and its first bad line. A few bad
 * lines (a last line cut by a crash, say) are skipped and returned as a warning for the report.
 */
export function judgeLines(file: string, quality: LineQuality): string | undefined {
  if (quality.bad === 0 || quality.first === undefined) return undefined;
  const corrupted = quality.bad * 2 > quality.lines || (quality.bad > TOLERATED_BAD_LINES && quality.bad * 100 > quality.lines);
  if (corrupted) {
    throw new AnalysisInputError(
      file,
      `corrupted: ${quality.bad} of ${quality.lines} line(s) cannot be read; the first is line ${quality.first.line}: ${clip(quality.first.reason)}`,
    );
  }
  // The warning names the file only: results.json must not depend on where the run directory lies.
  const name = path.basename(file);
  return `${name}: ${quality.bad} of ${quality.lines} line(s) cannot be read and were skipped (first: line ${quality.first.line}: ${clip(quality.first.reason)})`;
}

/**
 * Reads a small NDJSON file (events, LB states: one line per fault or state change, not per request)
 * whole. A missing file is an empty list: a trial without faults writes none.
 */
export async function readNdjsonRecords<T>(file: string, schema: z.ZodType<T>): Promise<NdjsonRecords<T>> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    if (isNotFound(error)) return { present: false, bytes: 0, records: [], problems: [] };
    throw new AnalysisInputError(file, 'cannot be read', error);
  }
  const records: T[] = [];
  const quality: LineQuality = { lines: 0, bad: 0, first: undefined };
  const bad = (line: number, reason: string): void => {
    quality.bad++;
    quality.first ??= { line, reason };
  };
  text.split('\n').forEach((line, index) => {
    if (line.trim() === '') return;
    quality.lines++;
    let json: unknown;
    try {
      json = JSON.parse(line);
    } catch {
      bad(index + 1, 'not JSON');
      return;
    }
    const parsed = schema.safeParse(json);
    if (parsed.success) records.push(parsed.data);
    else bad(index + 1, z.prettifyError(parsed.error).replaceAll('\n', ' '));
  });
  const warning = judgeLines(file, quality);
  return { present: true, bytes: Buffer.byteLength(text), records, problems: warning === undefined ? [] : [warning] };
}

function clip(text: string): string {
  return text.length <= 200 ? text : `${text.slice(0, 199)}…`;
}

async function readJson(file: string): Promise<unknown> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    throw new AnalysisInputError(file, isNotFound(error) ? 'missing' : 'cannot be read', error);
  }
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new AnalysisInputError(file, 'not valid JSON', error);
  }
}

async function exists(file: string): Promise<boolean> {
  try {
    await stat(file);
    return true;
  } catch (error) {
    if (isNotFound(error)) return false;
    throw new AnalysisInputError(file, 'cannot be read', error);
  }
}

function isNotFound(error: unknown): boolean {
  return typeof error === 'object' && error !== null && 'code' in error && error.code === 'ENOENT';
}
