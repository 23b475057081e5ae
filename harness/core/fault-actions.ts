/** The fault actions a scenario can name; the fault timeline implements each (harness/faults/actions.ts). */
export const FAULT_ACTIONS = [
  'kill',
  'stop',
  'restart',
  'pause',
  'unpause',
  'scale-out',
  'scale-in',
  'partition',
  'heal',
] as const;
export type FaultAction = (typeof FAULT_ACTIONS)[number];
