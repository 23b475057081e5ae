/** A valid raw scenario for tests to mutate, and a helper that returns a bad one's problem lines. */
import path from 'node:path';
import { REPO_ROOT } from '../../core/paths.ts';
import { ScenarioError } from '../errors.ts';
import { validateScenario } from '../validate.ts';

/** A scenario "file" in harness/scenarios/ (it need not exist: only its directory is used). */
export const TEST_SOURCE = path.join(REPO_ROOT, 'harness', 'scenarios', 'under-test.yaml');

export function validRaw(): Record<string, unknown> {
  return {
    name: 'under test',
    architectures: ['stateful', 'stateless'],
    replicas: 3,
    load: { script: 'k6-scripts/session-journey.ts', vus: 5, duration: '60s' },
    faults: [
      { at: '20s', action: 'kill', target: 'busiest' },
      { at: '40s', action: 'scale-out', count: 2 },
    ],
  };
}

/** The problem lines validateScenario reports; fails the test when it accepts the scenario. */
export function problemsOf(raw: unknown): readonly string[] {
  try {
    validateScenario(raw, TEST_SOURCE);
  } catch (error) {
    if (error instanceof ScenarioError) return error.problems;
    throw error;
  }
  throw new Error('the scenario was accepted');
}

/** validRaw() with some top-level keys replaced. */
export function withTop(patch: Record<string, unknown>): Record<string, unknown> {
  return { ...validRaw(), ...patch };
}

export function withLoad(patch: Record<string, unknown>): Record<string, unknown> {
  return { ...validRaw(), load: { ...(validRaw()['load'] as object), ...patch } };
}
