import { THRESHOLD_METRICS, type ThresholdMetric } from '../scenario/schema.ts';

export type MetricUnit = 'ratio' | 'ms' | 'count';

export interface MetricInfo {
  metric: ThresholdMetric;
  /** The command-line flag that sets it. */
  flag: string;
  unit: MetricUnit;
  label: string;
  /** What "trial" and "fault-windows" scope measure, for --help and the report. */
  trial: string;
  faultWindows: string;
  /** A latency the load generator times: a saturated generator inflates it with its own queueing. */
  clientLatency: boolean;
}

/**
 * Every threshold metric, its flag and what each scope measures. Metrics that only exist per fault
 * or per added replica (recovery, detection, scale-out) have no whole-trial figure, so both scopes
 * take the worst one.
 */
export const METRICS: Readonly<Record<ThresholdMetric, MetricInfo>> = {
  error_rate: {
    metric: 'error_rate',
    flag: '--max-error-rate',
    unit: 'ratio',
    label: 'request error rate',
    trial: 'failed / all requests over the whole trial',
    faultWindows: "the worst fault window's error rate",
    clientLatency: false,
  },
  session_loss_rate: {
    metric: 'session_loss_rate',
    flag: '--max-session-loss',
    unit: 'ratio',
    label: 'session loss rate',
    trial: 'sessions lost / sessions seen over the whole trial',
    faultWindows: 'the worst fault: sessions lost / sessions open at the fault (active in the 10 s before it and making a request after it)',
    clientLatency: false,
  },
  sessions_lost: {
    metric: 'sessions_lost',
    flag: '--max-sessions-lost',
    unit: 'count',
    label: 'sessions lost',
    trial: 'sessions lost over the whole trial',
    faultWindows: 'the most sessions lost to one fault',
    clientLatency: false,
  },
  p95_ms: {
    metric: 'p95_ms',
    flag: '--max-p95-ms',
    unit: 'ms',
    label: 'p95 latency',
    trial: 'p95 of every request of the trial',
    faultWindows: "the worst fault window's p95",
    clientLatency: true,
  },
  p99_ms: {
    metric: 'p99_ms',
    flag: '--max-p99-ms',
    unit: 'ms',
    label: 'p99 latency',
    trial: 'p99 of every request of the trial',
    faultWindows: "the worst fault window's p99",
    clientLatency: true,
  },
  recovery_ms: {
    metric: 'recovery_ms',
    flag: '--max-recovery-ms',
    unit: 'ms',
    label: 'recovery time',
    trial: 'the slowest recovery of any fault',
    faultWindows: 'the slowest recovery of any fault',
    clientLatency: false,
  },
  detection_ms: {
    metric: 'detection_ms',
    flag: '--max-detection-ms',
    unit: 'ms',
    label: 'detection time',
    trial: 'the slowest detection of any fault that takes a replica away',
    faultWindows: 'the slowest detection of any fault that takes a replica away',
    clientLatency: false,
  },
  scale_out_ms: {
    metric: 'scale_out_ms',
    flag: '--max-scale-out-ms',
    unit: 'ms',
    label: 'scale-out latency (first request − T0)',
    trial: 'the slowest added replica',
    faultWindows: 'the slowest added replica',
    clientLatency: false,
  },
};

export const METRIC_LIST: readonly MetricInfo[] = THRESHOLD_METRICS.map((metric) => METRICS[metric]);
