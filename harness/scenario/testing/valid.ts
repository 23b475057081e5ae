/** A valid raw scenario for tests to mutate, and a helper that returns a bad one's problem lines. */
import path from 'node:path';
import { REPO_ROOT } from '../../core/paths.ts';
import { HarnessError, isHarnessError } from '../../core/errors.ts';
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

/**
 * The error validateScenario throws for a bad scenario, after checking it is what the CLI turns into
 * lines and exit code 2: a HarnessError with code E_SCENARIO. Throws when the scenario is accepted.
 */
export function scenarioErrorOf(raw: unknown): HarnessError {
  let caught: unknown;
  try {
    validateScenario(raw, TEST_SOURCE);
  } catch (error) {
    caught = error;
  }
  if (caught === undefined) throw new Error('the scenario was accepted');
  if (!isHarnessError(caught)) throw new Error(`not a HarnessError: ${String(caught)}`);
  if (caught.code !== 'E_SCENARIO' || caught.exitCode !== 2) throw new Error(`${caught.code} with exit code ${caught.exitCode}, not E_SCENARIO with 2`);
  return caught;
}

/** validRaw() with some top-level keys replaced. */
export function withTop(patch: Record<string, unknown>): Record<string, unknown> {
  return { ...validRaw(), ...patch };
}

export function withLoad(patch: Record<string, unknown>): Record<string, unknown> {
  return { ...validRaw(), load: { ...(validRaw()['load'] as object), ...patch } };
}
