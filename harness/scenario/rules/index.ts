/** Every cross-field rule, in the order their lines are reported. */
import type { Parts } from '../parts.ts';
import type { Problem } from '../problems.ts';
import { envRules } from './env-rules.ts';
import { faultRules } from './fault-rules.ts';
import { generalRules } from './general-rules.ts';
import { loadRules } from './load-rules.ts';
import { thresholdRules } from './threshold-rules.ts';
import { timelineRules } from './timeline-rules.ts';

export function crossFieldProblems(parts: Parts, raw: unknown): Problem[] {
  const record = raw !== null && typeof raw === 'object' && !Array.isArray(raw) ? (raw as Record<string, unknown>) : {};
  return [
    ...generalRules(parts, record),
    ...loadRules(parts, record),
    ...envRules(record),
    ...faultRules(parts, record),
    ...timelineRules(parts),
    ...thresholdRules(parts, record),
  ];
}
