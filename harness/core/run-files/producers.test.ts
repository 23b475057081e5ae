import { describe, expectTypeOf, it } from 'vitest';
import type { z } from 'zod';
import type { FaultEvent } from '../../faults/fault-event.ts';
import type { LoadGeneratorStats } from '../../load/load-generator-stats.ts';
import type { Scenario } from '../../scenario/index.ts';
import type { FaultEventSchema } from './fault-events.ts';
import type { LoadGeneratorStatsSchema } from './load-generator.ts';
import type { WrittenRunManifest } from './manifest.ts';
import type { RecordedScenario } from './recorded-scenario.ts';

/**
 * Files whose writer keeps its own type of what it writes (the fault timeline, the built-in engine,
 * the scenario the manifest records) must agree with the schema that reads them. Checked by the type
 * checker (`npm run typecheck`): a change on either side that the other does not follow fails it.
 */
describe('what the producers write is what the run files read', () => {
  it('events.ndjson: one FaultEvent a line', () => {
    expectTypeOf<z.output<typeof FaultEventSchema>>().toEqualTypeOf<FaultEvent>();
  });

  it('load-generator.json: the engine’s LoadGeneratorStats', () => {
    expectTypeOf<z.output<typeof LoadGeneratorStatsSchema>>().toEqualTypeOf<LoadGeneratorStats>();
  });

  it('manifest.json: the validated scenario, whose thresholds read back as the scenario resolved them', () => {
    expectTypeOf<Scenario>().toExtend<NonNullable<WrittenRunManifest['scenario']>>();
    expectTypeOf<RecordedScenario['thresholds']>().toEqualTypeOf<Record<string, Scenario['thresholds'][keyof Scenario['thresholds']]>>();
  });
});
