/**
 * Rules that follow the timeline in order: how many replicas exist at each fault (scale-in keeps at
 * least one, scale-out stays within maxReplicas, an index names an existing replica), and every
 * unpause / heal reverts a pause / partition still in effect with the same target.
 *
 * Kills and stops do not change the count: a dead replica keeps its place (and its index) until it
 * is scaled in. A pause or partition with `for` is reverted by itself and cannot be paired.
 */
import { revertedAction } from '../../core/fault-action-lists.ts';
import { FAULT_TRAITS } from '../../core/fault-actions.ts';
import { formatDuration } from '../duration.ts';
import type { Parts } from '../parts.ts';
import { describeValue, orList, problem, type Problem } from '../problems.ts';
import type { FaultTarget } from '../schema.ts';
import { placeFaults } from './offsets.ts';

export function timelineRules(parts: Parts): Problem[] {
  const { replicas, maxReplicas, loadDurationMs } = parts;
  if (!parts.faultsComplete || replicas === undefined || maxReplicas === undefined || loadDurationMs === undefined) return [];
  const lines: Problem[] = [];
  // maxReplicas below replicas is its own problem (general-rules.ts); do not repeat it per scale-out.
  const ceiling = maxReplicas >= replicas ? maxReplicas : Number.POSITIVE_INFINITY;
  let size = replicas;
  const open = new Map<string, FaultTarget[]>();
  const key = (action: string, target: FaultTarget | undefined): string => `${action}:${JSON.stringify(target)}`;

  for (const { index, atMs, fault } of placeFaults(parts.faults, loadDurationMs)) {
    const path = ['faults', index];
    const when = `${size} replica${size === 1 ? '' : 's'} at ${formatDuration(atMs)}`;
    const { action, target } = fault;
    const { scale, revertedBy } = FAULT_TRAITS[action];
    const reverted = revertedAction(action);
    const count = fault.count ?? 1;

    if (typeof target === 'number' && target >= size) {
      lines.push(problem([...path, 'target'], target, `${size === 1 ? 'replica index 0' : `a replica index from 0 to ${size - 1}`} (${when})`));
    }
    if (scale === 'out') {
      // An invalid scale is not applied, so that it does not cause follow-on problems.
      if (size + count > ceiling) lines.push(problem([...path, 'count'], count, `at most ${ceiling - size} (${when}, maxReplicas ${ceiling})`));
      else size += count;
    } else if (scale === 'in') {
      if (size - count < 1) lines.push(problem([...path, 'count'], count, `at most ${size - 1} (${when}; at least 1 must remain)`));
      else size -= count;
    } else if (revertedBy !== null && fault.for === undefined) {
      const k = key(action, target);
      open.set(k, [...(open.get(k) ?? []), target ?? 'newest']);
    } else if (reverted !== null && target !== undefined) {
      const pending = open.get(key(reverted, target)) ?? [];
      if (pending.length > 0) pending.pop();
      else {
        const inEffect = [...open.entries()].filter(([k, list]) => k.startsWith(`${reverted}:`) && list.length > 0).map(([, list]) => describeValue(list[0]));
        const now = inEffect.length === 0 ? 'none' : orList(inEffect);
        lines.push(
          problem([...path, 'target'], target, `the target of an earlier ${reverted} without "for" that is still in effect (in effect at ${formatDuration(atMs)}: ${now})`),
        );
      }
    }
  }
  return lines;
}
