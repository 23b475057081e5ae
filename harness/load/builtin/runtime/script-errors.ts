/**
 * How k6 v0.49 reports a script's exception outside an iteration (its js/runner.go, js/bundle.go and
 * cmd/root.go); an iteration's own is Vu.logException. The text is always runtime/exception.ts's.
 * - init code: the run fails with exit 107 (a K6ConfigError carries the code across the engine's
 *   process); k6 names the VU when one after the first fails.
 * - setup() or teardown(): the run's error, logged after the summary with hint="script exception",
 *   exit 107 (no teardown after a failed setup). Past setupTimeout/teardownTimeout, k6's timeout
 *   message and hint instead, exit 100/101.
 * - handleSummary(): logged at once with hint="script exception"; the default summary follows and the
 *   exit code is unchanged.
 */
import { K6_EXIT } from '../../contract.ts';
import { K6ConfigError } from '../../metrics/errors.ts';
import type { TimedOutcome } from './timeout.ts';
import type { Vu } from './vu.ts';

const SCRIPT_EXCEPTION = { hint: 'script exception' };

export function initFailure(vu: Vu, error: unknown): K6ConfigError {
  const where = vu.idInTest === 0 ? '' : ` in VU #${vu.idInTest}`;
  return new K6ConfigError(`the script's init code failed${where}: ${vu.describeException(error)}`, undefined, K6_EXIT.scriptException);
}

export interface LifecycleFailure {
  message: string;
  fields: Record<string, string>;
  exitCode: number;
}

/** A setup() or teardown() that did not return: it threw, or it ran past its timeout. */
export type LifecycleEnding = Exclude<TimedOutcome<unknown>, { kind: 'returned' }>;

export function lifecycleFailure(vu: Vu, fn: 'setup' | 'teardown', ending: LifecycleEnding): LifecycleFailure {
  if (ending.kind === 'timed-out') {
    return {
      message: `${fn}() execution timed out after ${Math.round(ending.timeoutMs / 1000)} seconds`,
      fields: { hint: `You can increase the time limit via the ${fn}Timeout option` },
      exitCode: fn === 'setup' ? K6_EXIT.setupTimeout : K6_EXIT.teardownTimeout,
    };
  }
  return { message: vu.describeException(ending.error), fields: SCRIPT_EXCEPTION, exitCode: K6_EXIT.scriptException };
}

export function logSummaryFailure(vu: Vu, error: unknown): void {
  vu.ctx.logger.log('error', vu.describeException(error), SCRIPT_EXCEPTION);
}
