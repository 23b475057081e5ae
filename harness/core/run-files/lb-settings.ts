import { z } from 'zod';
import { LB_BALANCE_ALGORITHMS, LB_STICKINESS_MODES, type LbSettings } from '../../../targets/lb/lb-settings.ts';
import { jsonRunFile } from './json-run-file.ts';
import { TRIAL_FILES_KIND } from './run-file-error.ts';

/** The settings as targets/lb/lb-settings.ts defines them; results.json repeats them per trial. */
export const LbSettingsSchema = z
  .object({
    connectTimeoutMs: z.number(),
    retries: z.number().nonnegative(),
    checkIntervalMs: z.number(),
    fall: z.number().nonnegative(),
    rise: z.number().nonnegative(),
    balance: z.enum(LB_BALANCE_ALGORITHMS),
    stickiness: z.enum(LB_STICKINESS_MODES),
  })
  .meta({ id: 'LbSettings', description: 'The load balancer settings the trial ran with (lb-settings.json)' });

// The file holds exactly the settings the plan ran with: this fails to compile if the two drift apart.
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
const lbSettingsMatch: Same<z.infer<typeof LbSettingsSchema>, LbSettings> = true;
void lbSettingsMatch;

/**
 * trials/<name>/lb-settings.json: the load balancer settings the trial ran with, nothing else.
 * Version 1 says no version; a later one must (and is then refused here, by number).
 */
export const lbSettingsFile = jsonRunFile({
  kind: TRIAL_FILES_KIND,
  mismatch: 'not load balancer settings',
  version: 1,
  schema: LbSettingsSchema,
  unversioned: 1,
});
