/**
 * Rules inside `load`: exactly one load shape, a duration where the shape needs one and none with
 * stages, stages within a day in total, consistent arrival-rate VUs, and an arrival rate this
 * machine can start (rate per timeUnit, in iterations per second). Env names: env-rules.ts.
 */
import { formatDuration } from '../duration.ts';
import type { Parts } from '../parts.ts';
import { orList, problem, type Problem } from '../problems.ts';
import { MAX_ARRIVAL_RATE_PER_S, MAX_LOAD_MS } from '../schema.ts';

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

  const load = parts.load;
  if (load === undefined) return lines;
  const stagesMs = load.stages?.reduce((sum, stage) => sum + stage.duration, 0);
  if (stagesMs === 0) lines.push(problem(['load', 'stages'], record['stages'], `stages lasting longer than ${formatDuration(0)} in total`));
  if (stagesMs !== undefined && stagesMs > MAX_LOAD_MS) lines.push(problem(['load', 'stages'], record['stages'], `stages lasting at most ${formatDuration(MAX_LOAD_MS)} in total`));
  const rate = load.arrivalRate;
  if (rate?.maxVUs !== undefined && rate.preAllocatedVUs !== undefined && rate.maxVUs < rate.preAllocatedVUs) {
    lines.push(problem(['load', 'arrivalRate', 'maxVUs'], rate.maxVUs, `at least preAllocatedVUs (${rate.preAllocatedVUs})`));
  }
  const perSecond = rate === undefined ? 0 : (rate.rate * 1000) / rate.timeUnit;
  if (rate !== undefined && perSecond > MAX_ARRIVAL_RATE_PER_S) {
    const written = formatDuration(rate.timeUnit);
    lines.push(
      problem(['load', 'arrivalRate', 'rate'], rate.rate, `at most ${MAX_ARRIVAL_RATE_PER_S} iterations per second (${rate.rate} per ${written} is ${Math.round(perSecond)} per second)`),
    );
  }
  return lines;
}
