import { describe, expect, it } from 'vitest';
import { K6_EXIT } from '../contract.ts';
import { K6ConfigError } from '../metrics/errors.ts';
import { deserializeError, serializeError } from './process-protocol.ts';

describe('errors from the engine’s process', () => {
  it('keep a K6ConfigError’s k6 exit code across the trip (107 for an init exception, 104 by default)', () => {
    const init = deserializeError(serializeError(new K6ConfigError('init failed', 'fix it', K6_EXIT.scriptException)));
    expect(init).toBeInstanceOf(K6ConfigError);
    expect(init).toMatchObject({ message: 'init failed', hint: 'fix it', k6ExitCode: 107 });
    expect(deserializeError(serializeError(new K6ConfigError('bad threshold')))).toMatchObject({ k6ExitCode: 104 });
  });
});
