/** Scenario files: load, validate, normalise; the default comparison; the script's env. */
export { loadScenario, parseScenarioText } from './load-scenario.ts';
export { validateScenario } from './validate.ts';
export { defaultScenario, DEFAULT_SCENARIO_PATH, SCENARIOS_DIR } from './defaults.ts';
export { ScenarioError } from './errors.ts';
export { scriptEnv } from './script-env.ts';
export { describeScenario } from './describe-scenario.ts';
export { scenarioJsonSchema, JSON_SCHEMA_PATH } from './json-schema.ts';
export { SCENARIO_ARCHITECTURES, THRESHOLD_METRICS, DEFAULT_SEED } from './schema.ts';
export type { FaultTarget, LoadShape, Scenario, ScenarioArchitecture, ScenarioFault, ScenarioLoad, ScenarioTrial, Stage, Threshold } from './types.ts';
