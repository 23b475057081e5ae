import { describe, expect, it } from 'vitest';
import { K6_EXIT } from '../../contract.ts';
import { runScript } from '../testkit.ts';
import { withTimeout } from './timeout.ts';

describe('withTimeout', () => {
  it('says how the call ended: returned, threw, or ran out of time', async () => {
    let interrupted = 0;
    const interrupt = (): void => {
      interrupted++;
    };
    await expect(withTimeout(async () => 42, 1000, interrupt)).resolves.toEqual({ kind: 'returned', value: 42 });
    const error = new Error('boom');
    await expect(withTimeout(() => Promise.reject(error), 1000, interrupt)).resolves.toEqual({ kind: 'threw', error });
    await expect(
      withTimeout(() => {
        throw error;
      }, 1000, interrupt),
    ).resolves.toEqual({ kind: 'threw', error });
    expect(interrupted).toBe(0);
    await expect(withTimeout(() => new Promise(() => undefined), 20, interrupt)).resolves.toEqual({ kind: 'timed-out', timeoutMs: 20 });
    expect(interrupted).toBe(1);
  });

  it('stays timed out when the work fails after its time (no unhandled rejection)', async () => {
    const late = withTimeout(() => new Promise((_, reject) => setTimeout(() => reject(new Error('too late')), 40)), 10, () => undefined);
    await expect(late).resolves.toEqual({ kind: 'timed-out', timeoutMs: 10 });
    await new Promise((resolve) => setTimeout(resolve, 60));
  });
});

describe('setup() past its setupTimeout', () => {
  it("exits 100 with k6's message and hint, and runs no teardown", async () => {
    const run = await runScript({
      'script.js': `
import { sleep } from 'k6';
export const options = { setupTimeout: '1s', iterations: 1 };
export function setup() { sleep(3); }
export default function () {}
export function teardown() { console.log('teardown ran'); }
`,
    });
    expect(run.result.exitCode).toBe(K6_EXIT.setupTimeout);
    expect(run.stderr).toContain('setup() execution timed out after 1 seconds');
    expect(run.stderr).toContain('hint="You can increase the time limit via the setupTimeout option"');
    expect(run.stderr).not.toContain('teardown ran');
  });
});
