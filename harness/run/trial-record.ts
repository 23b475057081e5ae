import type { SeedResult } from '../cluster/seed-job.ts';

/** trial.json: what the analysis needs to know about a trial beyond the raw files. */
export interface TrialRecord {
  /** The trial's name: its architecture's, or a variant's (trials/<name>/). */
  name: string;
  architecture: string;
  status: 'running' | 'completed' | 'failed' | 'interrupted';
  /** Epoch ms of the start of load (the first point outside setup): t = 0 of every figure. */
  t0: number | null;
  /** Epoch ms when the load ended (or the trial was stopped). */
  endedAt: number | null;
  startedAt: number;
  clusterReadyAt: number | null;
  initialReplicas: string[];
  /** The ledger history written before the replicas started (event-sourced trials that ask for one). */
  seeded?: SeedResult;
  /** How long after a fault's start its window lasts (DESIGN.md: default 10 s). */
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
