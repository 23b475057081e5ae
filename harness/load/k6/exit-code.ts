import { constants } from 'node:os';
import { K6_EXIT } from '../contract.ts';

/**
 * The run's exit code from how the k6 process ended. k6's own codes pass through unchanged (0, 99,
 * 97..108 …). A k6 that we stopped by signal (it ignored SIGINT and got SIGKILL) is reported as k6
 * reports an interrupted run, 105; one killed by someone else as a shell would, 128 + signal number.
 */
export function k6ExitCode(code: number | null, signal: NodeJS.Signals | null, cancelled: boolean): number {
  if (code !== null) return code;
  if (cancelled) return K6_EXIT.externalAbort;
  const number = signal === null ? undefined : constants.signals[signal];
  return number === undefined ? 1 : 128 + number;
}
