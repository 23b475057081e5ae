/** The default comparison: what `harness run` does with no scenario. */
import path from 'node:path';
import { REPO_ROOT } from '../core/paths.ts';
import { loadScenario } from './load-scenario.ts';
import type { Scenario } from './types.ts';

export const SCENARIOS_DIR = path.join(REPO_ROOT, 'harness', 'scenarios');
export const DEFAULT_SCENARIO_PATH = path.join(SCENARIOS_DIR, 'default.yaml');

export function defaultScenario(): Promise<Scenario> {
  return loadScenario(DEFAULT_SCENARIO_PATH);
}
