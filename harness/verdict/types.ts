import type { THRESHOLD_SCOPES, ThresholdMetric } from '../scenario/schema.ts';

export type { ThresholdMetric } from '../scenario/schema.ts';
export type ThresholdScope = (typeof THRESHOLD_SCOPES)[number];

/** Where a threshold came from: the scenario (manifest.json) or a command-line flag (which wins). */
export type ThresholdSource = 'scenario' | 'cli';

/** One limit for one trial, after scenario and command line are merged. */
export interface ThresholdSpec {
  /** The trial's name (its architecture's, or a variant's). */
  trial: string;
  metric: ThresholdMetric;
  scope: ThresholdScope;
  /** The largest passing value (inclusive), in the metric's unit (fraction, ms or count). */
  max: number;
  source: ThresholdSource;
}

/** A threshold as a flag gave it: "*" applies to every architecture of the run. */
export interface CliThreshold {
  architecture: string;
  metric: ThresholdMetric;
  scope: ThresholdScope;
  max: number;
  /** The flag and value as typed, for messages. */
  flag: string;
  text: string;
}

/**
 * pass / fail: the figure was measured and compared. missing: there is no figure to compare (no
 * requests, a fault that never recovered, no such trial in the results): a failure, never a pass.
 */
export type CheckStatus = 'pass' | 'fail' | 'missing';

export interface ThresholdCheck {
  trial: string;
  metric: ThresholdMetric;
  scope: ThresholdScope;
  max: number;
  /** The measured figure; null when there is none (status "missing"). */
  actual: number | null;
  ok: boolean;
  status: CheckStatus;
  /** What was measured and where (which fault or replica), or why nothing could be. */
  detail: string;
  source: ThresholdSource;
}

/** A trial that did not measure what it claims: its load failed, was stopped, or never ran. */
export interface MeasurementProblem {
  trial: string;
  status: 'failed' | 'interrupted' | 'skipped';
  reason: string;
}

/** The gate's answer, as data: renderers and the CLI only present it. */
export interface Verdict {
  passed: boolean;
  /**
   * "no-thresholds": nothing to check, which passes. "not-measured": a trial did not measure what it
   * claims (see `problems`): never a pass, whatever the thresholds say.
   */
  status: 'passed' | 'failed' | 'no-thresholds' | 'not-measured';
  /** Empty when every trial measured what it claims. */
  problems: MeasurementProblem[];
  /** Per trial (in trial order), in the order the thresholds were given; renderers sort. */
  checks: ThresholdCheck[];
  counts: { checks: number; passed: number; failed: number; missing: number };
  /** The trials in results.json, by name. */
  trials: string[];
}
