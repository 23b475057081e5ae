import { HarnessError } from '../../core/errors.ts';
import { K6_EXIT } from '../contract.ts';

/**
 * A k6 configuration error (bad threshold, bad metric, bad summary option). k6 exits with 104
 * (InvalidConfig) for these, or with the code given (e.g. 107 for an exception in init code). The
 * `harness load` command exits with `k6ExitCode`, as `k6 run` would; elsewhere the harness treats it
 * as bad input (exit 2).
 */
export class K6ConfigError extends HarnessError {
  readonly k6ExitCode: number;

  constructor(message: string, hint?: string, k6ExitCode: number = K6_EXIT.invalidConfig) {
    super('E_K6_CONFIG', message, { hint, exitCode: 2 });
    this.name = 'K6ConfigError';
    this.k6ExitCode = k6ExitCode;
  }
}
