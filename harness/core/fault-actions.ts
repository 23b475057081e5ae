/**
 * Every fault action a scenario can name, and what it is. The table below is the one place an
 * action's traits are written: the scenario's rules, target selection, the timeline's reverts, the
 * analysis and the report all read them (harness/core/fault-action-lists.ts derives the lists), so a
 * new action is one entry here, which the compiler makes complete. The timeline implements each
 * (harness/faults/actions.ts).
 */
import type { MemberStatus } from './member-status.ts';

/**
 * What a fault can be aimed at: a replica or the data tier. Network faults will add a link between
 * two members, with states of its own next to a member's.
 */
export type TargetKind = 'replica' | 'datastore';
export type TargetState = MemberStatus;

/**
 * How a fault changes whether its target serves requests (the replicas in service, N of fair share):
 * - out: out of service from the fault's start;
 * - out-until-ready: out at the start and back by itself once ready (a restart);
 * - back: back in service once the fault completes (it reverts an earlier one);
 * - joins: a new replica, in service once the load balancer marks it up.
 * A target taken out of service is taken from the sessions pinned to it, and the load balancer
 * should mark it down (harness/core/fault-action-lists.ts: takesReplicaAway).
 */
export type Liveness = 'out' | 'out-until-ready' | 'back' | 'joins';

/** `Action` is the table's own keys while it is being checked (faultTable), FaultAction after. */
export interface FaultTraits<Action extends string = FaultAction> {
  /**
   * What a scenario may aim it at, and the states a target must be in (as the harness last left it)
   * for the action to act on it; null when it makes its own targets (scale-out adds replicas).
   */
  target: { kinds: readonly TargetKind[]; states: readonly TargetState[] } | null;
  /** Adds or removes `count` replicas; the only actions that take a count. */
  scale: 'out' | 'in' | null;
  /** The action that undoes it: it may take `for`, and the end of the trial reverts it if still in force. */
  revertedBy: Action | null;
  /** Leaves its target stopped or removed: an earlier pause or partition of it has nothing left to revert. */
  stopsTarget: boolean;
  liveness: Liveness;
}

/** The table as written, checked: every trait of every entry, and each action a trait names is an entry. */
function faultTable<const Table extends { readonly [Action in keyof Table]: FaultTraits<keyof Table & string> }>(table: Table): Table {
  return table;
}

const REPLICA_OR_DATASTORE = ['replica', 'datastore'] as const;

/** In the order scenarios, schemas and messages list them. */
const TABLE = faultTable({
  kill: {
    target: { kinds: REPLICA_OR_DATASTORE, states: ['running', 'paused', 'disconnected'] },
    scale: null,
    revertedBy: null,
    stopsTarget: true,
    liveness: 'out',
  },
  stop: {
    target: { kinds: REPLICA_OR_DATASTORE, states: ['running', 'paused', 'disconnected'] },
    scale: null,
    revertedBy: null,
    stopsTarget: true,
    liveness: 'out',
  },
  restart: {
    target: { kinds: REPLICA_OR_DATASTORE, states: ['running', 'stopped'] },
    scale: null,
    revertedBy: null,
    stopsTarget: false,
    liveness: 'out-until-ready',
  },
  pause: {
    target: { kinds: REPLICA_OR_DATASTORE, states: ['running', 'disconnected'] },
    scale: null,
    revertedBy: 'unpause',
    stopsTarget: false,
    liveness: 'out',
  },
  unpause: {
    target: { kinds: REPLICA_OR_DATASTORE, states: ['paused'] },
    scale: null,
    revertedBy: null,
    stopsTarget: false,
    liveness: 'back',
  },
  'scale-out': {
    target: null,
    scale: 'out',
    revertedBy: null,
    stopsTarget: false,
    liveness: 'joins',
  },
  'scale-in': {
    // Stopped replicas too: scaling in is how a killed replica's place is given up.
    target: { kinds: ['replica'], states: ['running', 'paused', 'disconnected', 'stopped'] },
    scale: 'in',
    revertedBy: null,
    stopsTarget: true,
    liveness: 'out',
  },
  partition: {
    target: { kinds: REPLICA_OR_DATASTORE, states: ['running', 'paused'] },
    scale: null,
    revertedBy: 'heal',
    stopsTarget: false,
    liveness: 'out',
  },
  heal: {
    target: { kinds: REPLICA_OR_DATASTORE, states: ['disconnected'] },
    scale: null,
    revertedBy: null,
    stopsTarget: false,
    liveness: 'back',
  },
});

export type FaultAction = keyof typeof TABLE;
/** The table, each entry read as FaultTraits (a trait reads the same on every action). */
export const FAULT_TRAITS: Readonly<Record<FaultAction, FaultTraits>> = TABLE;
export const FAULT_ACTIONS: readonly [FaultAction, ...FaultAction[]] = Object.keys(TABLE) as [FaultAction, ...FaultAction[]];
