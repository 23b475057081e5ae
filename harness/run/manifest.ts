import type { TrialRecord } from '../core/run-files/index.ts';

export const MANIFEST_SCHEMA_VERSION = 1;

/** manifest.json: what was run, with what, and how it ended. */
export interface RunManifest {
  schemaVersion: typeof MANIFEST_SCHEMA_VERSION;
  runId: string;
  name: string;
  source: string;
  seed: number;
  status: 'running' | 'completed' | 'failed' | 'interrupted';
  startedAt: string;
  endedAt: string | null;
  error?: string;
  engine: { choice: string; name: string; version: string } | null;
  images: { base: string; app: string; baseId: string | null; appId: string | null } | null;
  tools: { harness: string; node: string; docker: string | null; platform: string };
  scenario: unknown;
  /** pending: not started yet; skipped: not run because an earlier trial (or the run's set-up) failed. */
  trials: Array<{ name: string; architecture: string; dir: string; status: TrialRecord['status'] | 'pending' | 'skipped' }>;
}
