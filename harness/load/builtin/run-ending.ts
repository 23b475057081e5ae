/**
 * How a run of the built-in engine ends, as k6 decides it: setup()'s or teardown()'s failure first
 * (107, or 100/101 past its timeout), then what stopped the test early (exec.test.abort() 108,
 * abortOnFail 99, a cancel 105), then the thresholds (99); and the error line k6 logs last for it.
 */
import { K6_EXIT } from '../contract.ts';
import type { TestAbort } from './runtime/context.ts';
import type { LifecycleFailure } from './runtime/script-errors.ts';

export interface RunEnding {
  exitCode: number;
  /** The error line k6 logs at the very end; none for a run that ended well. */
  error: { message: string; fields?: Record<string, string> } | undefined;
}

export function runEnding(lifecycleError: LifecycleFailure | undefined, abort: TestAbort | undefined, breached: readonly string[]): RunEnding {
  const thresholdsFailed = breached.length > 0;
  const exitCode = lifecycleError?.exitCode ?? abort?.exitCode ?? (thresholdsFailed ? K6_EXIT.thresholdsHaveFailed : K6_EXIT.ok);
  let error: RunEnding['error'];
  if (lifecycleError) error = { message: lifecycleError.message, fields: lifecycleError.fields };
  // A stop by abortOnFail is told by the thresholds' line.
  else if (abort && abort.exitCode !== K6_EXIT.thresholdsHaveFailed) error = { message: abort.reason };
  else if (thresholdsFailed) error = { message: `thresholds on metrics '${breached.join(', ')}' have been crossed` };
  return { exitCode, error };
}
