/**
 * The environment the harness itself gives every app replica (harness/cluster/container-specs.ts builds it
 * with replicaEnv): which replica it is, its port, where it keeps client state, and the data tier.
 * A scenario's app.env may not set these (harness/scenario/rules/env-rules.ts), or a trial would
 * not be what its architecture says (a "stateless" trial with in-memory sessions).
 */
export const HARNESS_APP_ENV = ['REPLICA_NAME', 'PORT', 'STATE_STORE', 'REDIS_URL'] as const;
export type HarnessAppEnvName = (typeof HARNESS_APP_ENV)[number];

/**
 * A replica's environment: the scenario's, then the harness's own, which win. Every name of the
 * list must be given (undefined leaves it unset), so the list cannot lose a name the harness sets.
 */
export function replicaEnv(scenarioEnv: Readonly<Record<string, string>>, harness: Readonly<Record<HarnessAppEnvName, string | undefined>>): Record<string, string> {
  const env: Record<string, string> = { ...scenarioEnv };
  for (const name of HARNESS_APP_ENV) {
    const value = harness[name];
    if (value === undefined) delete env[name];
    else env[name] = value;
  }
  return env;
}
