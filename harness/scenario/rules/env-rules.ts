/**
 * No variable the harness sets itself, in any env of the scenario: the load's (BASE_URL and the
 * load shape, k6-scripts/lib/env-contract.ts) and the app's, scenario-wide or in a variant
 * (REPLICA_NAME, PORT, STATE_STORE, REDIS_URL, harness/core/app-env.ts). Set by hand, they would
 * make a trial other than the one the report names: `STATE_STORE: memory` on a "stateless" trial.
 */
import { HARNESS_SET_ENV } from '../../../k6-scripts/lib/env-contract.ts';
import { HARNESS_APP_ENV } from '../../core/app-env.ts';
import { problem, valueAt, type Problem } from '../problems.ts';

const LOAD_EXPECTED = `a variable the harness does not set itself (it sets ${HARNESS_SET_ENV.join(', ')} from the scenario)`;
const APP_EXPECTED = `a variable the harness does not set itself (it sets ${HARNESS_APP_ENV.join(', ')} on every replica)`;

export function envRules(raw: Record<string, unknown>): Problem[] {
  const lines = reserved(raw, ['load', 'env'], HARNESS_SET_ENV, LOAD_EXPECTED);
  lines.push(...reserved(raw, ['app', 'env'], HARNESS_APP_ENV, APP_EXPECTED));
  const architectures = raw['architectures'];
  if (Array.isArray(architectures)) {
    architectures.forEach((_entry: unknown, i) => lines.push(...reserved(raw, ['architectures', i, 'app', 'env'], HARNESS_APP_ENV, APP_EXPECTED)));
  }
  return lines;
}

function reserved(raw: Record<string, unknown>, path: (string | number)[], names: readonly string[], expected: string): Problem[] {
  const env = valueAt(raw, path);
  if (env === null || typeof env !== 'object' || Array.isArray(env)) return [];
  return Object.entries(env as Record<string, unknown>)
    .filter(([name]) => names.includes(name))
    .map(([name, value]) => problem([...path, name], typeof value === 'number' || typeof value === 'boolean' ? String(value) : value, expected));
}
