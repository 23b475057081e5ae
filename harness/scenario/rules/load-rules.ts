/**
 * Rules inside `load`: exactly one load shape, a duration where the shape needs one and none with
 * stages, consistent arrival-rate VUs, and no env variable the harness sets itself.
 */
import { HARNESS_SET_ENV } from '../../../k6-scripts/lib/env-contract.ts';
import { formatDuration } from '../duration.ts';
import type { Parts } from '../parts.ts';
import { orList, problem, type Problem } from '../problems.ts';

const SHAPES = ['vus', 'stages', 'arrivalRate'] as const;
const ONE_SHAPE = 'exactly one of vus (with duration), stages, or arrivalRate (with duration)';

export function loadRules(parts: Parts, raw: Record<string, unknown>): Problem[] {
  const rawLoad = raw['load'];
  if (rawLoad === null || typeof rawLoad !== 'object' || Array.isArray(rawLoad)) return [];
  const record = rawLoad as Record<string, unknown>;
  const lines: Problem[] = [];

  const present = SHAPES.filter((key) => record[key] !== undefined);
  if (present.length === 0) lines.push(problem(['load', 'vus'], undefined, ONE_SHAPE));
  for (const extra of present.slice(1)) {
    lines.push(problem(['load', extra], record[extra], `${ONE_SHAPE}; ${orList(present.filter((k) => k !== extra), 'and')} is set too`));
  }
  if (present.length === 1) {
    const only = present[0];
    if (only === 'stages' && record['duration'] !== undefined) {
      lines.push(problem(['load', 'duration'], record['duration'], 'no duration with stages (the load lasts as long as its stages)'));
    }
    if (only !== 'stages' && record['duration'] === undefined) {
      lines.push(problem(['load', 'duration'], undefined, `a duration such as "60s" (required with ${only})`));
    }
  }

  const env = record['env'];
  if (env !== null && typeof env === 'object' && !Array.isArray(env)) {
    for (const [name, value] of Object.entries(env as Record<string, unknown>)) {
      if ((HARNESS_SET_ENV as readonly string[]).includes(name)) {
        lines.push(problem(['load', 'env', name], value, `a variable the harness does not set itself (it sets ${HARNESS_SET_ENV.join(', ')} from the scenario)`));
      }
    }
  }

  const load = parts.load;
  if (load === undefined) return lines;
  if (load.stages !== undefined && load.stages.reduce((sum, stage) => sum + stage.duration, 0) === 0) {
    lines.push(problem(['load', 'stages'], record['stages'], `stages lasting longer than ${formatDuration(0)} in total`));
  }
  const rate = load.arrivalRate;
  if (rate?.maxVUs !== undefined && rate.preAllocatedVUs !== undefined && rate.maxVUs < rate.preAllocatedVUs) {
    lines.push(problem(['load', 'arrivalRate', 'maxVUs'], rate.maxVUs, `at least preAllocatedVUs (${rate.preAllocatedVUs})`));
  }
  return lines;
}
