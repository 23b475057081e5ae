/**
 * The `-e NAME=value` pairs the harness gives a k6 script for one trial: the scenario's own env,
 * the load balancer URL and the load shape, with the names of k6-scripts/lib/env-contract.ts.
 * The scripts build their `options` from these, so one script serves every load shape.
 */
import {
  ENV_BASE_URL,
  ENV_DURATION,
  ENV_MAX_VUS,
  ENV_PRE_ALLOCATED_VUS,
  ENV_RATE,
  ENV_STAGES,
  ENV_TIME_UNIT,
  ENV_VUS,
} from '../../k6-scripts/lib/env-contract.ts';
import type { ScenarioLoad } from './types.ts';

export function scriptEnv(load: ScenarioLoad, baseUrl: string): Record<string, string> {
  const env: Record<string, string> = { ...load.env, [ENV_BASE_URL]: baseUrl };
  const shape = load.shape;
  switch (shape.executor) {
    case 'constant-vus':
      env[ENV_VUS] = String(shape.vus);
      env[ENV_DURATION] = k6Duration(shape.durationMs);
      break;
    case 'ramping-vus':
      env[ENV_STAGES] = shape.stages.map((stage) => `${k6Duration(stage.durationMs)}:${stage.target}`).join(',');
      break;
    case 'constant-arrival-rate':
      env[ENV_RATE] = String(shape.rate);
      env[ENV_TIME_UNIT] = k6Duration(shape.timeUnitMs);
      env[ENV_PRE_ALLOCATED_VUS] = String(shape.preAllocatedVUs);
      env[ENV_MAX_VUS] = String(shape.maxVUs);
      env[ENV_DURATION] = k6Duration(shape.durationMs);
      break;
  }
  return env;
}

/** Milliseconds as a duration k6 and the built-in engine both parse. */
export function k6Duration(ms: number): string {
  return `${ms}ms`;
}
