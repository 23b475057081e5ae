import { describe, expectTypeOf, it } from 'vitest';
import type { z } from 'zod';
import type { FaultEvent } from '../../faults/fault-event.ts';
import type { LoadGeneratorStats } from '../../load/load-generator-stats.ts';
import type { FaultEventSchema } from './fault-events.ts';
import type { LoadGeneratorStatsSchema } from './load-generator.ts';

/**
 * Files whose writer keeps its own type of what it writes (the fault timeline, the built-in engine)
 * must agree with the schema that reads them. Checked by the type checker (`npm run typecheck`): a
 * change on either side that the other does not follow fails it.
 */
describe('what the producers write is what the run files read', () => {
  it('events.ndjson: one FaultEvent a line', () => {
    expectTypeOf<z.output<typeof FaultEventSchema>>().toEqualTypeOf<FaultEvent>();
  });

  it('load-generator.json: the engine’s LoadGeneratorStats', () => {
    expectTypeOf<z.output<typeof LoadGeneratorStatsSchema>>().toEqualTypeOf<LoadGeneratorStats>();
  });
});
