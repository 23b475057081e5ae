/**
 * The environment variables through which the harness gives a k6 script its target and its load
 * shape (`-e NAME=value`, seen as __ENV). Shared by the scripts (lib/load-options.ts reads them) and
 * the harness (harness/scenario/script-env.ts writes them), so both sides use the same names.
 *
 * BASE_URL            the load balancer, default http://127.0.0.1:8080
 * VUS + DURATION      constant-vus: VUS virtual users for DURATION (k6 duration, e.g. "60s")
 * STAGES              ramping-vus: "30s:10,1m:20,10s:0" (duration:target, comma-separated)
 * RATE + DURATION     constant-arrival-rate: RATE iterations per TIME_UNIT (default "1s"), with
 *                     PRE_ALLOCATED_VUS (default 10) and MAX_VUS (default max(PRE_ALLOCATED_VUS, 100))
 * GRACEFUL_STOP       how long running iterations may finish at the end (default "2s")
 * THINK_TIME          seconds between a VU's requests (default 0.1)
 * REQUEST_TIMEOUT     per-request timeout (k6 duration, default "10s")
 * Precedence when several are set: RATE, then STAGES, then VUS/DURATION.
 */
export const ENV_BASE_URL = 'BASE_URL';
export const ENV_VUS = 'VUS';
export const ENV_DURATION = 'DURATION';
export const ENV_STAGES = 'STAGES';
export const ENV_RATE = 'RATE';
export const ENV_TIME_UNIT = 'TIME_UNIT';
export const ENV_PRE_ALLOCATED_VUS = 'PRE_ALLOCATED_VUS';
export const ENV_MAX_VUS = 'MAX_VUS';
export const ENV_GRACEFUL_STOP = 'GRACEFUL_STOP';
export const ENV_THINK_TIME = 'THINK_TIME';
export const ENV_REQUEST_TIMEOUT = 'REQUEST_TIMEOUT';

/** Set by the harness from the scenario: a scenario's `load.env` may not set them. */
export const HARNESS_SET_ENV = [
  ENV_BASE_URL,
  ENV_VUS,
  ENV_DURATION,
  ENV_STAGES,
  ENV_RATE,
  ENV_TIME_UNIT,
  ENV_PRE_ALLOCATED_VUS,
  ENV_MAX_VUS,
] as const;

export const DEFAULT_BASE_URL = 'http://127.0.0.1:8080';
export const DEFAULT_PRE_ALLOCATED_VUS = 10;
export const DEFAULT_MAX_VUS_FLOOR = 100;
