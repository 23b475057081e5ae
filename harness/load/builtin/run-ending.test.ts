import { describe, expect, it } from 'vitest';
import { K6_EXIT } from '../contract.ts';
import { runEnding } from './run-ending.ts';

const setupFailed = { message: 'Error: boom', fields: { hint: 'script exception' }, exitCode: K6_EXIT.scriptException };

describe('how a built-in run ends', () => {
  it('0 without anything wrong, 99 with crossed thresholds, saying which', () => {
    expect(runEnding(undefined, undefined, [])).toEqual({ exitCode: 0, error: undefined });
    expect(runEnding(undefined, undefined, ['http_req_duration', 'checks'])).toEqual({
      exitCode: K6_EXIT.thresholdsHaveFailed,
      error: { message: "thresholds on metrics 'http_req_duration, checks' have been crossed" },
    });
  });

  it("an abort's code and reason, but abortOnFail told by the thresholds' line", () => {
    expect(runEnding(undefined, { reason: 'test aborted: enough', exitCode: K6_EXIT.scriptAborted }, ['checks'])).toEqual({
      exitCode: K6_EXIT.scriptAborted,
      error: { message: 'test aborted: enough' },
    });
    expect(runEnding(undefined, { reason: 'thresholds … breached', exitCode: K6_EXIT.thresholdsHaveFailed }, ['checks'])).toEqual({
      exitCode: K6_EXIT.thresholdsHaveFailed,
      error: { message: "thresholds on metrics 'checks' have been crossed" },
    });
  });

  it("setup()'s or teardown()'s failure before all else", () => {
    const abort = { reason: 'setup failed', exitCode: K6_EXIT.scriptException };
    expect(runEnding(setupFailed, abort, ['checks'])).toEqual({ exitCode: K6_EXIT.scriptException, error: { message: 'Error: boom', fields: { hint: 'script exception' } } });
  });
});
