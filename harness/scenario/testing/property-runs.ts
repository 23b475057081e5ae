/**
 * How many cases a property test tries: a few hundred by default, so CI stays fast; more with
 * HARNESS_PROPERTY_RUNS (e.g. HARNESS_PROPERTY_RUNS=20000 npx vitest run harness/scenario) for a
 * long local search.
 */
export function propertyRuns(byDefault: number): number {
  const asked = Number(process.env['HARNESS_PROPERTY_RUNS']);
  return Number.isInteger(asked) && asked > 0 ? asked : byDefault;
}

/** Enough time for `runs` cases at `perCaseMs` each, on a loaded machine. */
export function propertyTimeout(runs: number, perCaseMs: number): number {
  return Math.max(30_000, runs * perCaseMs * 3);
}
