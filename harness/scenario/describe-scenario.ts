/** A scenario in one line, for `harness validate` and progress output. */
import { FAULT_TRAITS } from '../core/fault-actions.ts';
import { formatDuration } from './duration.ts';
import type { LoadShape, Scenario, ScenarioFault } from './types.ts';

export function describeScenario(s: Scenario): string {
  const thresholds = s.trials.reduce((sum, trial) => sum + s.thresholds[trial.architecture].length, 0);
  const faults = s.faults.length === 0 ? 'no faults' : `${s.faults.length} fault${s.faults.length === 1 ? '' : 's'} (${s.faults.map(describeFault).join(', ')})`;
  return [
    JSON.stringify(s.name),
    s.trials.map((trial) => (trial.name === trial.architecture ? trial.name : `${trial.name} (${trial.architecture})`)).join(' vs '),
    ...(s.trials.some((trial) => trial.seedEvents > 0) ? [`ledger seeded with up to ${Math.max(...s.trials.map((trial) => trial.seedEvents))} events`] : []),
    `${s.replicas} replica${s.replicas === 1 ? '' : 's'}`,
    describeShape(s.load.shape),
    faults,
    `${thresholds} threshold${thresholds === 1 ? '' : 's'}`,
    `seed ${s.seed}`,
  ].join('; ');
}

function describeShape(shape: LoadShape): string {
  switch (shape.executor) {
    case 'constant-vus':
      return `${shape.vus} VUs for ${formatDuration(shape.durationMs)}`;
    case 'ramping-vus':
      return `stages ${shape.stages.map((st) => `${formatDuration(st.durationMs)}→${st.target}`).join(' ')}`;
    case 'constant-arrival-rate':
      return `${shape.rate} per ${formatDuration(shape.timeUnitMs)} for ${formatDuration(shape.durationMs)}`;
  }
}

function describeFault(f: ScenarioFault): string {
  const what = FAULT_TRAITS[f.action].scale !== null ? `${f.action} ${f.count}${f.target === null ? '' : ` ${String(f.target)}`}` : `${f.action} ${String(f.target)}`;
  return `${what} at ${formatDuration(f.atMs)}${f.forMs === undefined ? '' : ` for ${formatDuration(f.forMs)}`}`;
}
