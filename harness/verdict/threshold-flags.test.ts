import { describe, expect, it } from 'vitest';
import { InputError } from '../core/errors.ts';
import { METRICS } from './metrics.ts';
import { parseThresholdFlag, readThresholdFlags } from './threshold-flags.ts';

describe('threshold flags', () => {
  it.each([
    ['error_rate', 'stateless=0.01', { architecture: 'stateless', scope: 'trial', max: 0.01 }],
    ['error_rate', '*=1%', { architecture: '*', scope: 'trial', max: 0.01 }],
    ['error_rate', '0.05', { architecture: '*', scope: 'trial', max: 0.05 }],
    ['error_rate', 'stateless:fault-windows=5%', { architecture: 'stateless', scope: 'fault-windows', max: 0.05 }],
    ['session_loss_rate', 'stateful=0', { architecture: 'stateful', scope: 'trial', max: 0 }],
    ['sessions_lost', 'event-sourced=3', { architecture: 'event-sourced', scope: 'trial', max: 3 }],
    ['recovery_ms', '*:fault-windows=2s', { architecture: '*', scope: 'fault-windows', max: 2000 }],
    ['p95_ms', 'stateful=250.5', { architecture: 'stateful', scope: 'trial', max: 250.5 }],
    ['scale_out_ms', 'stateless=1m30s', { architecture: 'stateless', scope: 'trial', max: 90_000 }],
  ] as const)('%s %s', (metric, text, expected) => {
    expect(parseThresholdFlag(METRICS[metric], text)).toMatchObject({ metric, ...expected });
  });

  it.each([
    ['error_rate', 'stateles=0.01', /--max-error-rate: "stateles=0.01" is not allowed; expected .*ARCH is one of "stateful", "stateless", "event-sourced", "\*"/, /Did you mean "stateless"/],
    ['error_rate', 'stateless=2', /VALUE is a fraction from 0 to 1 or a percentage/, /--max-error-rate stateless=0.01/],
    ['error_rate', 'stateless=150%', /VALUE is a fraction from 0 to 1/, /.*/],
    ['error_rate', 'stateless=-0.1', /VALUE is a fraction/, /.*/],
    ['error_rate', 'stateless:windows=0.1', /SCOPE is one of "trial", "fault-windows"/, /.*/],
    ['error_rate', 'stateless:trial:x=0.1', /one ":" at most/, /.*/],
    ['error_rate', '=0.1', /ARCH is one of/, /.*/],
    ['sessions_lost', 'stateful=1.5', /VALUE is a whole number from 0 to 1,000,000,000/, /--max-sessions-lost stateless=0/],
    ['sessions_lost', `stateful=${'9'.repeat(400)}`, /VALUE is a whole number from 0 to 1,000,000,000/, /.*/],
    ['recovery_ms', 'stateful=soon', /VALUE is milliseconds from 0 to 86400000 \(a day\) or a duration/, /.*/],
    // 400 digits are Infinity as a number: a typo, never a limit ("≤ ∞ ms").
    ['p95_ms', '9'.repeat(400), /VALUE is milliseconds from 0 to 86400000/, /.*/],
    ['p95_ms', 'stateless=25h', /VALUE is milliseconds from 0 to 86400000/, /.*/],
    ['p99_ms', 'stateful=', /--max-p99-ms: "stateful=" is not allowed/, /.*/],
  ] as const)('%s %j is rejected with the flag, the value and what is allowed', (metric, text, message, hint) => {
    let error: unknown;
    try {
      parseThresholdFlag(METRICS[metric], text);
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(InputError);
    const input = error as InputError;
    expect(input.exitCode).toBe(2);
    expect(input.code).toBe('E_INPUT');
    expect(input.message).toMatch(message);
    expect(input.hint ?? '').toMatch(hint);
  });

  it('reads every flag as yargs hands it over: one value or several, in order', () => {
    const thresholds = readThresholdFlags({
      'max-error-rate': ['stateless=0.01', 'stateful=0.2'],
      'max-session-loss': 'stateless=0',
      'max-recovery-ms': undefined,
      maxErrorRate: ['ignored: the camel-case copy yargs adds'],
      _: [],
    });
    expect(thresholds.map((t) => [t.metric, t.architecture, t.max])).toEqual([
      ['error_rate', 'stateless', 0.01],
      ['error_rate', 'stateful', 0.2],
      ['session_loss_rate', 'stateless', 0],
    ]);
  });

  it('rejects an empty flag value', () => {
    expect(() => readThresholdFlags({ 'max-p95-ms': '' })).toThrow(/--max-p95-ms: "" is not allowed/);
  });
});
