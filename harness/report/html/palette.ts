/** Colours that stay the same for one architecture or replica across every chart of a report. */
import { FAULT_TRAITS, type FaultAction, type Liveness } from '../../core/fault-actions.ts';

const ARCHITECTURE_COLOURS: Readonly<Record<string, string>> = {
  stateful: '#d97706',
  stateless: '#2563eb',
  'event-sourced': '#059669',
};
const EXTRA_ARCHITECTURE_COLOURS = ['#7c3aed', '#db2777', '#0891b2'];

export function architectureColour(architecture: string, index: number): string {
  return ARCHITECTURE_COLOURS[architecture] ?? EXTRA_ARCHITECTURE_COLOURS[index % EXTRA_ARCHITECTURE_COLOURS.length] ?? '#6b7280';
}

const REPLICA_COLOURS = ['#2563eb', '#d97706', '#059669', '#dc2626', '#7c3aed', '#0891b2', '#db2777', '#65a30d', '#9333ea', '#ea580c', '#0d9488', '#4f46e5'];

/** Replicas sorted the way people number them: app-2 before app-10. */
export function sortReplicas(names: Iterable<string>): string[] {
  return [...new Set(names)].sort((a, b) => a.localeCompare(b, 'en', { numeric: true }));
}

/** A colour per replica name, assigned in sorted order over the whole run. */
export function replicaColours(names: Iterable<string>): Map<string, string> {
  return new Map(sortReplicas(names).map((name, index) => [name, REPLICA_COLOURS[index % REPLICA_COLOURS.length] ?? '#6b7280']));
}

export const SERIES = {
  throughput: '#93c5fd',
  errorRate: '#dc2626',
  p50: '#16a34a',
  p95: '#d97706',
  p99: '#dc2626',
  lost: '#dc2626',
  expected: '#9ca3af',
  open: '#d1d5db',
  slow: '#7c2d12',
};

const CAPACITY_TAKEN = { area: 'rgba(220, 38, 38, 0.09)', line: '#dc2626', text: '#991b1b' };
/** Fault marks by what the fault does to its target's liveness: red for capacity taken away, blue for added, grey for brought back. */
const FAULT_COLOURS: Readonly<Record<Liveness, { area: string; line: string; text: string }>> = {
  out: CAPACITY_TAKEN,
  'out-until-ready': CAPACITY_TAKEN,
  back: { area: 'rgba(107, 114, 128, 0.08)', line: '#6b7280', text: '#374151' },
  joins: { area: 'rgba(37, 99, 235, 0.08)', line: '#2563eb', text: '#1e40af' },
};

export function faultColour(action: FaultAction): { area: string; line: string; text: string } {
  return FAULT_COLOURS[FAULT_TRAITS[action].liveness];
}
