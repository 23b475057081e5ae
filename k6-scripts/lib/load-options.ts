/**
 * Builds a script's k6 `options` from the environment the harness passes (names and defaults in
 * env-contract.ts), so that one script serves constant VUs, stages and an arrival rate without
 * setting anything the harness would have to fight. CLI `--vus` / `--duration` still override it,
 * with k6's usual precedence. No thresholds: the harness judges the results itself.
 *
 * The result is typed structurally rather than as k6/options' Options, so that importing this pure
 * module from Node code (tests, the harness) does not pull k6's globals into that program; the
 * scripts annotate `options: Options`, which checks compatibility under k6-scripts/tsconfig.json.
 */
import {
  DEFAULT_MAX_VUS_FLOOR,
  DEFAULT_PRE_ALLOCATED_VUS,
  ENV_DURATION,
  ENV_GRACEFUL_STOP,
  ENV_MAX_VUS,
  ENV_PRE_ALLOCATED_VUS,
  ENV_RATE,
  ENV_STAGES,
  ENV_TIME_UNIT,
  ENV_VUS,
} from './env-contract.ts';
import { durationText, envError, K6_DURATION, positiveInt, type Env } from './env.ts';

/** The single k6 scenario's name (also a tag on every sample). */
export const LOAD_SCENARIO = 'load';
export const DEFAULT_VUS = 1;
export const DEFAULT_DURATION = '10s';
/** Short: one iteration is one request plus a think time, so nothing long needs to finish. */
export const DEFAULT_GRACEFUL_STOP = '2s';

export type LoadScenarioOptions =
  | { executor: 'constant-vus'; vus: number; duration: string; gracefulStop: string }
  | { executor: 'ramping-vus'; stages: { duration: string; target: number }[]; gracefulRampDown: string; gracefulStop: string }
  | { executor: 'constant-arrival-rate'; rate: number; timeUnit: string; duration: string; preAllocatedVUs: number; maxVUs: number; gracefulStop: string };

export interface LoadOptions {
  scenarios: Record<string, LoadScenarioOptions>;
}

export function buildOptions(env: Env): LoadOptions {
  const gracefulStop = durationText(env, ENV_GRACEFUL_STOP, DEFAULT_GRACEFUL_STOP);
  if (env[ENV_RATE] !== undefined && env[ENV_RATE] !== '') {
    const preAllocatedVUs = positiveInt(env, ENV_PRE_ALLOCATED_VUS, DEFAULT_PRE_ALLOCATED_VUS);
    return {
      scenarios: {
        [LOAD_SCENARIO]: {
          executor: 'constant-arrival-rate',
          rate: positiveInt(env, ENV_RATE, 1),
          timeUnit: durationText(env, ENV_TIME_UNIT, '1s'),
          duration: durationText(env, ENV_DURATION, DEFAULT_DURATION),
          preAllocatedVUs,
          maxVUs: positiveInt(env, ENV_MAX_VUS, Math.max(preAllocatedVUs, DEFAULT_MAX_VUS_FLOOR)),
          gracefulStop,
        },
      },
    };
  }
  if (env[ENV_STAGES] !== undefined && env[ENV_STAGES] !== '') {
    return {
      scenarios: {
        [LOAD_SCENARIO]: { executor: 'ramping-vus', stages: parseStages(env[ENV_STAGES]), gracefulRampDown: gracefulStop, gracefulStop },
      },
    };
  }
  return {
    scenarios: {
      [LOAD_SCENARIO]: {
        executor: 'constant-vus',
        vus: positiveInt(env, ENV_VUS, DEFAULT_VUS),
        duration: durationText(env, ENV_DURATION, DEFAULT_DURATION),
        gracefulStop,
      },
    },
  };
}

/** "30s:10,1m:20" → [{duration: "30s", target: 10}, {duration: "1m", target: 20}]. */
export function parseStages(text: string): { duration: string; target: number }[] {
  const stages: { duration: string; target: number }[] = [];
  for (const part of text.split(',')) {
    const [duration = '', target = ''] = part.trim().split(':');
    if (!K6_DURATION.test(duration) || !/^\d+$/.test(target)) {
      throw envError(ENV_STAGES, text, 'comma-separated duration:target pairs such as "30s:10,1m:20"');
    }
    stages.push({ duration, target: Number(target) });
  }
  return stages;
}
