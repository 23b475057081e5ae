import type { SeedResult } from '../cluster/seed-job.ts';

/**
 * What a trial's t0 is (harness/run/load-start.ts): the built-in engine's own start; for k6, the
 * earliest start of an iteration or request in the load file; in runs recorded before the harness
 * knew either, the end of the first request ("first-point").
 */
export const T0_SOURCES = ['engine-start', 'load-file', 'first-point'] as const;
export type T0Source = (typeof T0_SOURCES)[number];

/** trial.json: what the analysis needs to know about a trial beyond the raw files. */
export interface TrialRecord {
  /** The trial's name: its architecture's, or a variant's (trials/<name>/). */
  name: string;
  architecture: string;
  status: 'running' | 'completed' | 'failed' | 'interrupted';
  /** Epoch ms when the load began (see t0Source): t = 0 of every figure. */
  t0: number | null;
  /** What t0 is; absent in trial.json files written before it existed (their t0 is "first-point"). */
  t0Source?: T0Source;
  /** Epoch ms when the load ended (or the trial was stopped). */
  endedAt: number | null;
  startedAt: number;
  clusterReadyAt: number | null;
  initialReplicas: string[];
  /** The ledger history written before the replicas started (event-sourced trials that ask for one). */
  seeded?: SeedResult;
  /** How long after a fault's start its window lasts (glossary, harness/analysis/glossary.ts: default 10 s). */
  faultWindowMs: number;
  loadDurationMs: number;
  loadExitCode: number | null;
  lbUrl: string | null;
  /** Why the trial failed: the cluster did not start, or the load did not measure (harness/run/load-outcome.ts). */
  error?: string;
  /** What the user can do about `error`. */
  hint?: string;
  /** Problems while saving logs (the run goes on without them). */
  logProblems?: string[];
}
