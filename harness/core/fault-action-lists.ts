/**
 * What follows from the fault-action table (harness/core/fault-actions.ts): the lists and questions
 * the stages ask of actions, each computed from the traits rather than written again.
 */
import { FAULT_ACTIONS, FAULT_TRAITS, type FaultAction, type FaultTraits } from './fault-actions.ts';

/** The actions whose traits pass `test`, in the table's order. */
export function actionsWhere(test: (traits: FaultTraits) => boolean): FaultAction[] {
  return FAULT_ACTIONS.filter((action) => test(FAULT_TRAITS[action]));
}

/** What the data tier can suffer (a scenario's "datastore" target). */
export const DATASTORE_ACTIONS: readonly FaultAction[] = actionsWhere((traits) => traits.target?.kinds.includes('datastore') ?? false);
/** Actions that add or remove replicas: the ones that take a count. */
export const SCALE_ACTIONS: readonly FaultAction[] = actionsWhere((traits) => traits.scale !== null);
/** Actions that have a revert, so they may take `for`. */
export const REVERTIBLE_ACTIONS: readonly FaultAction[] = actionsWhere((traits) => traits.revertedBy !== null);
/** Their reverts, in the same order. */
export const REVERT_ACTIONS: readonly FaultAction[] = REVERTIBLE_ACTIONS.flatMap((action) => FAULT_TRAITS[action].revertedBy ?? []);

/** The action that `action` reverts (unpause: pause), or null when it reverts none. */
export function revertedAction(action: FaultAction): FaultAction | null {
  return FAULT_ACTIONS.find((other) => FAULT_TRAITS[other].revertedBy === action) ?? null;
}

/**
 * Whether it takes its target out of service: the sessions pinned to that replica are counted (its
 * memory or its reachability is gone; a paused replica's too, and a scale-in drops what the replica
 * holds, like a stop), and the load balancer should mark it down, so detection time applies.
 */
export function takesReplicaAway(action: FaultAction): boolean {
  const { liveness } = FAULT_TRAITS[action];
  return liveness === 'out' || liveness === 'out-until-ready';
}

/**
 * Failures the load balancer has to notice by itself, which a detection-time threshold needs: a
 * scale-in takes a replica away too, but on purpose.
 */
export const DETECTABLE_FAILURES: readonly FaultAction[] = FAULT_ACTIONS.filter((action) => takesReplicaAway(action) && FAULT_TRAITS[action].scale === null);

/**
 * Whether, after it, nothing an earlier pause or partition did to the target is left to revert: it
 * was the revert, or the target is now stopped or removed.
 */
export function endsPendingRevert(action: FaultAction): boolean {
  return revertedAction(action) !== null || FAULT_TRAITS[action].stopsTarget;
}
