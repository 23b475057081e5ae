/** Where a parsed fault sits on the timeline, once the load duration is known. */
import type { Offset, ParsedFault } from '../schema.ts';

export function offsetMs(offset: Offset, loadDurationMs: number): number {
  return offset.kind === 'ms' ? offset.ms : Math.round((offset.percent / 100) * loadDurationMs);
}

export interface PlacedFault {
  index: number;
  atMs: number;
  fault: ParsedFault;
}

/** Faults that parsed, with their offsets, in timeline order (ties keep the file's order). */
export function placeFaults(faults: readonly (ParsedFault | undefined)[], loadDurationMs: number): PlacedFault[] {
  const placed: PlacedFault[] = [];
  faults.forEach((fault, index) => {
    if (fault !== undefined) placed.push({ index, atMs: offsetMs(fault.at, loadDurationMs), fault });
  });
  return placed.sort((a, b) => a.atMs - b.atMs || a.index - b.index);
}
