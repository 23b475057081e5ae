import { describe, expect, it } from 'vitest';
import {
  DATASTORE_ACTIONS,
  DETECTABLE_FAILURES,
  endsPendingRevert,
  REVERT_ACTIONS,
  REVERTIBLE_ACTIONS,
  revertedAction,
  SCALE_ACTIONS,
  takesReplicaAway,
} from './fault-action-lists.ts';
import { FAULT_ACTIONS, FAULT_TRAITS } from './fault-actions.ts';

describe('the fault-action table', () => {
  it('lists every action once, in the order of its entries', () => {
    expect(FAULT_ACTIONS).toEqual(Object.keys(FAULT_TRAITS));
    expect(new Set(FAULT_ACTIONS).size).toBe(FAULT_ACTIONS.length);
  });

  describe.each(FAULT_ACTIONS)('%s', (action) => {
    const traits = FAULT_TRAITS[action];

    it('is in each derived list exactly when its traits say so', () => {
      expect(DATASTORE_ACTIONS.includes(action)).toBe(traits.target?.kinds.includes('datastore') ?? false);
      expect(SCALE_ACTIONS.includes(action)).toBe(traits.scale !== null);
      expect(REVERTIBLE_ACTIONS.includes(action)).toBe(traits.revertedBy !== null);
      expect(takesReplicaAway(action)).toBe(traits.liveness === 'out' || traits.liveness === 'out-until-ready');
      expect(DETECTABLE_FAILURES.includes(action)).toBe(takesReplicaAway(action) && traits.scale === null);
      const reverts = FAULT_ACTIONS.filter((other) => FAULT_TRAITS[other].revertedBy === action);
      expect(revertedAction(action)).toBe(reverts[0] ?? null);
      expect(REVERT_ACTIONS.includes(action)).toBe(reverts.length > 0);
      expect(endsPendingRevert(action)).toBe(reverts.length > 0 || traits.stopsTarget);
    });

    it('is reverted by a revert that acts on the same kinds of target, and reverts nothing else', () => {
      if (traits.revertedBy === null) return;
      const revert = FAULT_TRAITS[traits.revertedBy];
      expect(revert.liveness).toBe('back');
      expect(revert.revertedBy).toBeNull();
      expect(revert.target?.kinds).toEqual(traits.target?.kinds);
      expect(FAULT_ACTIONS.filter((other) => FAULT_TRAITS[other].revertedBy === traits.revertedBy)).toEqual([action]);
    });

    it('brings its target back exactly when it reverts another action', () => {
      expect(traits.liveness === 'back').toBe(revertedAction(action) !== null);
    });

    it('makes its own targets exactly when it adds replicas', () => {
      expect(traits.target === null).toBe(traits.scale === 'out');
      expect(traits.liveness === 'joins').toBe(traits.scale === 'out');
    });

    it('names at least one kind and one state of target, when it takes one', () => {
      if (traits.target === null) return;
      expect(traits.target.kinds.length).toBeGreaterThan(0);
      expect(traits.target.states.length).toBeGreaterThan(0);
    });

    it('takes a target it stops out of service', () => {
      if (traits.stopsTarget) expect(takesReplicaAway(action)).toBe(true);
    });
  });
});
