import path from 'node:path';
import { manifestFile, runFiles, type RecordedScenario, type RunManifest } from '../core/run-files/index.ts';
import type { Threshold } from '../scenario/types.ts';

type RecordedShape = NonNullable<NonNullable<RecordedScenario['load']>['shape']>;

/**
 * What the reports say about a run besides its figures: manifest.json's metadata and the scenario's
 * thresholds and fault timeline, as the manifest's reader gives them (harness/core/run-files/manifest.ts:
 * metadata leniently, "–" where a field is missing; thresholds strictly).
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

/** The run's metadata; a run directory without manifest.json gives one named after the directory. */
export async function readRunInfo(runDir: string): Promise<RunInfo> {
  const fallbackRunId = path.basename(path.resolve(runDir));
  const manifest = await manifestFile.readIfPresent(runFiles(runDir).manifest);
  return manifest === undefined ? emptyRunInfo(fallbackRunId) : runInfoOf(manifest, fallbackRunId);
}

/** manifest.json's content, already parsed as JSON, as the reports show it. */
export function runInfoFromManifest(json: unknown, file: string, fallbackRunId: string): RunInfo {
  return runInfoOf(manifestFile.parse(json, file), fallbackRunId);
}

function runInfoOf(manifest: RunManifest, fallbackRunId: string): RunInfo {
  const scenario = manifest.scenario ?? null;
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
    plannedTrials: scenario?.trials?.map(({ name, architecture }) => ({ name, architecture })) ?? null,
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
    faults: (scenario?.faults ?? []).map(({ index, at, atMs, action, target, count, forMs }) => ({
      index,
      at: at ?? null,
      atMs: atMs ?? null,
      action,
      target: target == null ? null : String(target),
      count: count ?? null,
      forMs: forMs ?? null,
    })),
    thresholds: scenario?.thresholds ?? {},
    trials: manifest.trials.map(({ name, architecture, status }) => ({ name, architecture, status: status ?? null })),
  };
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
function describeShape(shape: RecordedShape | null): string | null {
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
