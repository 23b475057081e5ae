import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';
import { HarnessError } from '../core/errors.ts';
import { runFiles } from '../core/run-files/index.ts';
import { thresholdSchema } from '../scenario/schema.ts';
import type { Threshold } from '../scenario/types.ts';

/**
 * What the reports say about a run besides its figures: manifest.json's metadata and the scenario's
 * thresholds and fault timeline. Metadata is read leniently (a report of an odd manifest still
 * renders, with "–" where a field is missing); thresholds strictly, because dropping a bad one would
 * let a gate pass that should fail.
 */
export interface RunInfo {
  runId: string;
  /** false: the run directory has no manifest.json (a re-analysed copy of the trials only). */
  manifestPresent: boolean;
  name: string | null;
  description: string | null;
  source: string | null;
  seed: number | null;
  status: string | null;
  error: string | null;
  startedAt: string | null;
  endedAt: string | null;
  engine: { choice: string; name: string; version: string } | null;
  images: { base: string; app: string; baseId: string | null; appId: string | null } | null;
  tools: Record<string, string | null>;
  /** The scenario's trials (name and architecture), in order. */
  plannedTrials: Array<{ name: string; architecture: string }> | null;
  replicas: number | null;
  faultWindowMs: number | null;
  load: { script: string | null; engine: string | null; shape: string | null; durationMs: number | null } | null;
  /** The scenario's fault timeline (as written), for the report's fault list. */
  faults: ScenarioFaultInfo[];
  thresholds: Record<string, Threshold[]>;
  trials: Array<{ name: string; architecture: string; status: string | null }>;
}

export interface ScenarioFaultInfo {
  index: number;
  at: string | null;
  atMs: number | null;
  action: string;
  target: string | null;
  count: number | null;
  forMs: number | null;
}

const lenient = <T extends z.ZodType>(schema: T) => schema.nullable().optional().catch(null);
const text = lenient(z.string());
const number = lenient(z.number());

const FaultSchema = z.looseObject({
  index: z.number(),
  at: text,
  atMs: number,
  action: z.string(),
  target: lenient(z.union([z.string(), z.number()])),
  count: number,
  forMs: number,
});

const ShapeSchema = z.looseObject({
  executor: z.string(),
  vus: number,
  durationMs: number,
  rate: number,
  timeUnitMs: number,
  stages: lenient(z.array(z.looseObject({ durationMs: z.number(), target: z.number() }))),
});

const ScenarioSchema = z.looseObject({
  name: text,
  description: text,
  source: text,
  seed: number,
  architectures: lenient(z.array(z.unknown())),
  trials: lenient(z.array(z.looseObject({ name: z.string(), architecture: z.string() }))),
  replicas: number,
  faultWindowMs: number,
  load: lenient(
    z.looseObject({ scriptAsWritten: text, script: text, engine: text, shape: lenient(ShapeSchema), durationMs: number }),
  ),
  faults: z.array(z.unknown()).optional().catch([]),
});

const ManifestSchema = z.looseObject({
  runId: text,
  name: text,
  source: text,
  seed: number,
  status: text,
  error: text,
  startedAt: text,
  endedAt: text,
  engine: lenient(z.object({ choice: z.string(), name: z.string(), version: z.string() })),
  images: lenient(z.object({ base: z.string(), app: z.string(), baseId: z.string().nullable(), appId: z.string().nullable() })),
  tools: lenient(z.record(z.string(), z.string().nullable())),
  scenario: lenient(ScenarioSchema),
  trials: z
    .array(z.unknown())
    .optional()
    .catch([]),
});

const ThresholdsSchema = z.record(z.string(), z.array(thresholdSchema)).optional();

export class ManifestError extends HarnessError {
  constructor(file: string, problem: string, cause?: unknown) {
    super('E_MANIFEST', `${file}: ${problem}`, {
      hint: 'manifest.json is written by `harness run`; restore it, or remove it to report without the scenario’s thresholds.',
      exitCode: 2,
      cause,
    });
    this.name = 'ManifestError';
  }
}

/** The run's metadata; a run directory without manifest.json gives one named after the directory. */
export async function readRunInfo(runDir: string): Promise<RunInfo> {
  const file = runFiles(runDir).manifest;
  let raw: string;
  try {
    raw = await readFile(file, 'utf8');
  } catch (error) {
    if (isNotFound(error)) return emptyRunInfo(path.basename(path.resolve(runDir)));
    throw new ManifestError(file, 'cannot be read', error);
  }
  let json: unknown;
  try {
    json = JSON.parse(raw);
  } catch (error) {
    throw new ManifestError(file, 'not valid JSON', error);
  }
  return runInfoFromManifest(json, file, path.basename(path.resolve(runDir)));
}

export function runInfoFromManifest(json: unknown, file: string, fallbackRunId: string): RunInfo {
  const parsed = ManifestSchema.safeParse(json);
  if (!parsed.success) throw new ManifestError(file, `not a run manifest: ${z.prettifyError(parsed.error)}`);
  const manifest = parsed.data;
  const scenario = manifest.scenario ?? null;
  const scenarioJson = isRecord(json) && isRecord(json.scenario) ? json.scenario : undefined;
  const thresholds = ThresholdsSchema.safeParse(scenarioJson?.thresholds);
  if (!thresholds.success) {
    throw new ManifestError(file, `scenario.thresholds is not valid: ${z.prettifyError(thresholds.error)}`);
  }
  return {
    runId: manifest.runId ?? fallbackRunId,
    manifestPresent: true,
    name: manifest.name ?? scenario?.name ?? null,
    description: scenario?.description ?? null,
    source: manifest.source ?? scenario?.source ?? null,
    seed: manifest.seed ?? scenario?.seed ?? null,
    status: manifest.status ?? null,
    error: manifest.error ?? null,
    startedAt: manifest.startedAt ?? null,
    endedAt: manifest.endedAt ?? null,
    engine: manifest.engine ?? null,
    images: manifest.images ?? null,
    tools: manifest.tools ?? {},
    plannedTrials: plannedTrials(scenario),
    replicas: scenario?.replicas ?? null,
    faultWindowMs: scenario?.faultWindowMs ?? null,
    load:
      scenario?.load == null
        ? null
        : {
            script: scenario.load.scriptAsWritten ?? scenario.load.script ?? null,
            engine: scenario.load.engine ?? null,
            shape: describeShape(scenario.load.shape ?? null),
            durationMs: scenario.load.durationMs ?? null,
          },
    faults: (scenario?.faults ?? []).flatMap((entry) => {
      const fault = FaultSchema.safeParse(entry);
      if (!fault.success) return [];
      const { index, at, atMs, action, target, count, forMs } = fault.data;
      return [{ index, at: at ?? null, atMs: atMs ?? null, action, target: target == null ? null : String(target), count: count ?? null, forMs: forMs ?? null }];
    }),
    thresholds: thresholds.data ?? {},
    trials: (manifest.trials ?? []).flatMap((entry) => {
      if (typeof entry === 'string') return [{ name: entry, architecture: entry, status: null }];
      if (isRecord(entry) && typeof entry.architecture === 'string') {
        const name = typeof entry.name === 'string' ? entry.name : entry.architecture;
        return [{ name, architecture: entry.architecture, status: typeof entry.status === 'string' ? entry.status : null }];
      }
      return [];
    }),
  };
}

/** The scenario's trials; manifests from before variants list plain architecture names. */
function plannedTrials(scenario: z.infer<typeof ScenarioSchema> | null | undefined): RunInfo['plannedTrials'] {
  if (scenario?.trials != null) return scenario.trials.map(({ name, architecture }) => ({ name, architecture }));
  if (scenario?.architectures == null) return null;
  return scenario.architectures.flatMap((entry) => (typeof entry === 'string' ? [{ name: entry, architecture: entry }] : []));
}

export function emptyRunInfo(runId: string): RunInfo {
  return {
    runId,
    manifestPresent: false,
    name: null,
    description: null,
    source: null,
    seed: null,
    status: null,
    error: null,
    startedAt: null,
    endedAt: null,
    engine: null,
    images: null,
    tools: {},
    plannedTrials: null,
    replicas: null,
    faultWindowMs: null,
    load: null,
    faults: [],
    thresholds: {},
    trials: [],
  };
}

/** "constant-vus: 10 VUs for 15 s" — the load shape in one line. */
function describeShape(shape: z.infer<typeof ShapeSchema> | null): string | null {
  if (shape === null) return null;
  const seconds = (ms: number | null | undefined): string => (ms == null ? '?' : `${Number((ms / 1000).toFixed(1))} s`);
  switch (shape.executor) {
    case 'constant-vus':
      return `constant-vus: ${shape.vus ?? '?'} VUs for ${seconds(shape.durationMs)}`;
    case 'ramping-vus':
      return `ramping-vus: ${(shape.stages ?? []).map((stage) => `${stage.target} VUs over ${seconds(stage.durationMs)}`).join(', then ')}`;
    case 'constant-arrival-rate':
      return `constant-arrival-rate: ${shape.rate ?? '?'} per ${seconds(shape.timeUnitMs)} for ${seconds(shape.durationMs)}`;
    default:
      return shape.executor;
  }
}

const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

function isNotFound(error: unknown): boolean {
  return isRecord(error) && error.code === 'ENOENT';
}
