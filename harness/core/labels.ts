/** Every container, network and volume the harness creates carries these labels (see `harness clean`). */
export const LABEL_MANAGED = 'io.harness.managed';
export const LABEL_RUN = 'io.harness.run';
export const LABEL_ROLE = 'io.harness.role';
export const LABEL_ARCHITECTURE = 'io.harness.architecture';
export const LABEL_CREATED = 'io.harness.created';
export const LABEL_REPLICA = 'io.harness.replica';
export const LABEL_INPUTS_HASH = 'io.harness.inputs-hash';
/** Images are caches, not run resources: `harness clean` leaves them; `harness images build --force` replaces them. */
export const LABEL_IMAGE = 'io.harness.image';

/** job: a one-shot container (the ledger seed) that exits before the load starts. */
export type Role = 'lb' | 'app' | 'datastore' | 'job';

export function managedFilter(): Record<string, string> {
  return { [LABEL_MANAGED]: 'true' };
}

export function runFilter(runId: string): Record<string, string> {
  return { [LABEL_MANAGED]: 'true', [LABEL_RUN]: runId };
}
