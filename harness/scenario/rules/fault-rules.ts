/**
 * Rules for each fault on its own: which fields its action takes, the data tier's limits, and its
 * offset (and automatic revert) inside the load duration.
 */
import { formatDuration } from '../duration.ts';
import type { Parts } from '../parts.ts';
import { orList, problem, quoted, valueAt, type Problem } from '../problems.ts';
import { DATASTORE_ACTIONS, TARGET_EXPECTED } from '../schema.ts';
import { offsetMs } from './offsets.ts';

export function faultRules(parts: Parts, raw: Record<string, unknown>): Problem[] {
  const lines: Problem[] = [];
  const duration = parts.loadDurationMs;
  parts.faults.forEach((fault, i) => {
    if (fault === undefined) return;
    const at = ['faults', i];
    const { action, target, count } = fault;
    const forAsWritten = valueAt(raw, [...at, 'for']);
    const scale = action === 'scale-out' || action === 'scale-in';

    if (action === 'scale-out' && target !== undefined) {
      lines.push(problem([...at, 'target'], target, 'no target for scale-out (it adds new replicas; use count)'));
    }
    if (!scale && target === undefined) lines.push(problem([...at, 'target'], undefined, `${TARGET_EXPECTED} (required for ${action})`));
    if (target === 'datastore' && !(DATASTORE_ACTIONS as readonly string[]).includes(action)) {
      lines.push(problem([...at, 'target'], target, `a replica target for ${action} (the data tier takes only ${orList(quoted(DATASTORE_ACTIONS))})`));
    }
    if (!scale && count !== undefined) lines.push(problem([...at, 'count'], count, `no count for ${action} (count is for scale-out and scale-in)`));
    if (action === 'scale-in' && typeof target === 'number' && (count ?? 1) > 1) {
      lines.push(problem([...at, 'count'], count, '1 when the target is a replica index (use "newest", "random" or "busiest" to remove several)'));
    }
    if (fault.for !== undefined && action !== 'pause' && action !== 'partition') {
      lines.push(problem([...at, 'for'], forAsWritten, `no for with ${action} (only pause and partition revert automatically)`));
    }

    if (duration === undefined) return;
    const atMs = offsetMs(fault.at, duration);
    if (atMs >= duration) {
      lines.push(problem([...at, 'at'], fault.at.text, `an offset inside the load duration (less than ${formatDuration(duration)})`));
    } else if (fault.for !== undefined && (action === 'pause' || action === 'partition') && atMs + fault.for > duration) {
      lines.push(
        problem([...at, 'for'], forAsWritten, `at most ${formatDuration(duration - atMs)}, so that the automatic revert falls inside the load duration (${formatDuration(duration)})`),
      );
    }
  });
  return lines;
}
