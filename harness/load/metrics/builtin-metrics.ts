import type { MetricDefinition } from '../contract.ts';

/**
 * k6's built-in metrics (metrics/builtin.go in k6 v0.49), with their types and what they contain.
 * An engine defines these before the run, so that thresholds on them validate even when no sample
 * arrives (k6 registers them all up front too).
 */
export const K6_BUILTIN_METRICS: readonly MetricDefinition[] = Object.freeze([
  { name: 'vus', type: 'gauge', contains: 'default' },
  { name: 'vus_max', type: 'gauge', contains: 'default' },
  { name: 'iterations', type: 'counter', contains: 'default' },
  { name: 'iteration_duration', type: 'trend', contains: 'time' },
  { name: 'dropped_iterations', type: 'counter', contains: 'default' },
  { name: 'data_sent', type: 'counter', contains: 'data' },
  { name: 'data_received', type: 'counter', contains: 'data' },
  { name: 'checks', type: 'rate', contains: 'default' },
  { name: 'group_duration', type: 'trend', contains: 'time' },
  { name: 'http_reqs', type: 'counter', contains: 'default' },
  { name: 'http_req_failed', type: 'rate', contains: 'default' },
  { name: 'http_req_duration', type: 'trend', contains: 'time' },
  { name: 'http_req_blocked', type: 'trend', contains: 'time' },
  { name: 'http_req_connecting', type: 'trend', contains: 'time' },
  { name: 'http_req_tls_handshaking', type: 'trend', contains: 'time' },
  { name: 'http_req_sending', type: 'trend', contains: 'time' },
  { name: 'http_req_waiting', type: 'trend', contains: 'time' },
  { name: 'http_req_receiving', type: 'trend', contains: 'time' },
  { name: 'ws_sessions', type: 'counter', contains: 'default' },
  { name: 'ws_msgs_sent', type: 'counter', contains: 'default' },
  { name: 'ws_msgs_received', type: 'counter', contains: 'default' },
  { name: 'ws_ping', type: 'trend', contains: 'time' },
  { name: 'ws_session_duration', type: 'trend', contains: 'time' },
  { name: 'ws_connecting', type: 'trend', contains: 'time' },
  { name: 'grpc_req_duration', type: 'trend', contains: 'time' },
] satisfies MetricDefinition[]);

/** The submetric k6 always adds for the summary (when the expected_response system tag is on). */
export const EXPECTED_RESPONSE_SUBMETRIC = 'http_req_duration{expected_response:true}';
