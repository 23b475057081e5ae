import type { FaultFigures } from '../analysis/index.ts';

/** "fault #0 kill app-2": how a fault is named in details, tables and chart marks. */
export function faultLabel(fault: Pick<FaultFigures, 'index' | 'action' | 'targets' | 'selector'>): string {
  const what = fault.targets.length > 0 ? fault.targets.join(', ') : fault.selector;
  return `fault #${fault.index} ${fault.action} ${what}`;
}

/** The faults that measure the architecture: end-of-trial reverts only tidy up, skipped ones did nothing. */
export function measuredFaults<F extends Pick<FaultFigures, 'revert' | 'outcome'>>(faults: readonly F[]): F[] {
  return faults.filter((fault) => !fault.revert && fault.outcome !== 'skipped');
}
