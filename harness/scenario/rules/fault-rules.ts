/**
 * Rules for each fault on its own: which fields its action takes, the data tier's limits, and its
 * offset (and automatic revert) inside the load duration.
 */
import { DATASTORE_ACTIONS, REVERTIBLE_ACTIONS, SCALE_ACTIONS } from '../../core/fault-action-lists.ts';
import { FAULT_TRAITS } from '../../core/fault-actions.ts';
import { formatDuration } from '../duration.ts';
import type { Parts } from '../parts.ts';
import { orList, problem, quoted, valueAt, type Problem } from '../problems.ts';
import { TARGET_EXPECTED } from '../schema.ts';
import { offsetMs } from './offsets.ts';

export function faultRules(parts: Parts, raw: Record<string, unknown>): Problem[] {
  const lines: Problem[] = [];
  const duration = parts.loadDurationMs;
  parts.faults.forEach((fault, i) => {
    if (fault === undefined) return;
    const at = ['faults', i];
    const { action, target, count } = fault;
    const forAsWritten = valueAt(raw, [...at, 'for']);
    const traits = FAULT_TRAITS[action];
    const revertible = traits.revertedBy !== null;

    // An action that makes its own targets adds replicas (scale-out).
    if (traits.target === null && target !== undefined) {
      lines.push(problem([...at, 'target'], target, `no target for ${action} (it adds new replicas; use count)`));
    }
    // Required but for scaling: scale-out takes none, scale-in defaults to "newest" (normalise.ts).
    if (traits.scale === null && target === undefined) lines.push(problem([...at, 'target'], undefined, `${TARGET_EXPECTED} (required for ${action})`));
    if (target === 'datastore' && !DATASTORE_ACTIONS.includes(action)) {
      lines.push(problem([...at, 'target'], target, `a replica target for ${action} (the data tier takes only ${orList(quoted(DATASTORE_ACTIONS))})`));
    }
    if (traits.scale === null && count !== undefined) {
      lines.push(problem([...at, 'count'], count, `no count for ${action} (count is for ${orList(SCALE_ACTIONS, 'and')})`));
    }
    if (traits.scale === 'in' && typeof target === 'number' && (count ?? 1) > 1) {
      lines.push(problem([...at, 'count'], count, '1 when the target is a replica index (use "newest", "random" or "busiest" to remove several)'));
    }
    if (fault.for !== undefined && !revertible) {
      lines.push(problem([...at, 'for'], forAsWritten, `no for with ${action} (only ${orList(REVERTIBLE_ACTIONS, 'and')} revert automatically)`));
    }

    if (duration === undefined) return;
    const atMs = offsetMs(fault.at, duration);
    if (atMs >= duration) {
      lines.push(problem([...at, 'at'], fault.at.text, `an offset inside the load duration (less than ${formatDuration(duration)})`));
    } else if (fault.for !== undefined && revertible && atMs + fault.for > duration) {
      lines.push(
        problem([...at, 'for'], forAsWritten, `at most ${formatDuration(duration - atMs)}, so that the automatic revert falls inside the load duration (${formatDuration(duration)})`),
      );
    }
  });
  return lines;
}
