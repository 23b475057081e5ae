/**
 * What a threshold can limit, and over which span. Shared vocabulary: the scenario's thresholds,
 * the run manifest that records them (harness/core/run-files/) and the verdict all name the same.
 */
export const THRESHOLD_METRICS = [
  'error_rate',
  'session_loss_rate',
  'sessions_lost',
  'p95_ms',
  'p99_ms',
  'recovery_ms',
  'detection_ms',
  'scale_out_ms',
] as const;
export type ThresholdMetric = (typeof THRESHOLD_METRICS)[number];

export const THRESHOLD_SCOPES = ['trial', 'fault-windows'] as const;
export type ThresholdScope = (typeof THRESHOLD_SCOPES)[number];
