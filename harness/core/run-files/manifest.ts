import { z } from 'zod';
import { jsonRunFile } from './json-run-file.ts';
import { trialDirInRun } from './layout.ts';
import { lenient } from './lenient.ts';
import { RecordedScenarioSchema, RecordedScenarioV1Schema } from './recorded-scenario.ts';
import type { RunFileKind } from './run-file-error.ts';
import { TRIAL_RECORD_STATUSES } from './trial-record.ts';

export const RUN_STATUSES = ['running', 'completed', 'failed', 'interrupted'] as const;
export type RunStatus = (typeof RUN_STATUSES)[number];

/** A trial's status in the manifest: its trial.json's, or pending (not started yet), or skipped (not run because an earlier trial, or the run's set-up, failed). */
export const MANIFEST_TRIAL_STATUSES = [...TRIAL_RECORD_STATUSES, 'pending', 'skipped'] as const;
export type ManifestTrialStatus = (typeof MANIFEST_TRIAL_STATUSES)[number];

const MANIFEST_KIND: RunFileKind = {
  code: 'E_MANIFEST',
  hint: 'manifest.json is written by `harness run`; restore it, or remove it to report without the scenario’s thresholds.',
};

/** Metadata is read leniently (lenient.ts): a report of an odd manifest still renders. */
const text = lenient(z.string());

const metadataFields = {
  /** null: the readers name the run after its directory. */
  runId: text,
  name: text,
  source: text,
  seed: lenient(z.number()),
  status: lenient(z.enum(RUN_STATUSES)),
  startedAt: text,
  endedAt: text,
  /** Why the run failed, when it did. */
  error: text,
  engine: lenient(z.object({ choice: z.string(), name: z.string(), version: z.string() })),
  images: lenient(z.object({ base: z.string(), app: z.string(), baseId: z.string().nullable(), appId: z.string().nullable() })),
  tools: lenient(z.record(z.string(), z.string().nullable())),
};

/** The trial list is read strictly: the analysis decides from it which trials to analyse. */
const ManifestTrialSchema = z.object({
  name: z.string().min(1),
  architecture: z.string().min(1),
  /** The trial's directory, relative to the run's: trials/<name>. */
  dir: z.string().min(1),
  /** null in a version-1 manifest that did not say. */
  status: lenient(z.enum(MANIFEST_TRIAL_STATUSES)),
});
export type ManifestTrial = z.output<typeof ManifestTrialSchema>;

/**
 * manifest.json, version 2: what was run, with what, and how it ended. 2: every trial has a name
 * (variants of one architecture), and the scenario lists its trials.
 */
const ManifestSchema = z.object({
  schemaVersion: z.literal(2),
  ...metadataFields,
  scenario: RecordedScenarioSchema.nullish(),
  trials: z.array(ManifestTrialSchema),
});
/** manifest.json as readers get it, from any version. */
export type RunManifest = z.output<typeof ManifestSchema>;
/** manifest.json as `harness run` gives it to the writer: the scenario whole, metadata it does not know yet null. */
export type WrittenRunManifest = z.input<typeof ManifestSchema>;

/**
 * manifest.json, version 1 (or no version: manifests other tools wrote). Trials were architecture
 * names, later objects whose name was added with variants; a manifest without a trial list lets
 * the readers find the trials on disk.
 */
const ManifestV1Schema = z
  .object({
    ...metadataFields,
    // A scenario that is not an object was never one: it reads as none.
    scenario: z.preprocess((value) => (typeof value === 'object' && !Array.isArray(value) ? value : null), RecordedScenarioV1Schema.nullable()),
    trials: z
      .array(
        z.union([
          z.string().min(1),
          z.object({ architecture: z.string().min(1), name: z.string().min(1).optional(), dir: z.string().min(1).optional(), status: lenient(z.enum(MANIFEST_TRIAL_STATUSES)) }),
        ]),
      )
      .default([]),
  })
  .transform(({ trials, ...manifest }): RunManifest => ({
    ...manifest,
    schemaVersion: 2,
    trials: trials.map((entry) => {
      const trial = typeof entry === 'string' ? { architecture: entry, status: null } : entry;
      const name = trial.name ?? trial.architecture;
      return { name, architecture: trial.architecture, dir: trial.dir ?? trialDirInRun(name), status: trial.status ?? null };
    }),
  }));

/** <run>/manifest.json, written by harness/run/execute-run.ts as the run goes; read by the analysis and the reports. */
export const manifestFile = jsonRunFile({
  kind: MANIFEST_KIND,
  mismatch: 'not a run manifest',
  version: 2,
  schema: ManifestSchema,
  older: { 1: ManifestV1Schema },
  unversioned: 1,
});
