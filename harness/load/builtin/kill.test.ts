/**
 * LoadRunOptions.kill, the second Ctrl-C a trial gives a load that ignored its stop: the engine's
 * process is killed at once, and the run says it was interrupted (105), with the start it announced.
 */
import path from 'node:path';
import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { isRunning } from '../../testing/processes.ts';
import { K6_EXIT } from '../contract.ts';
import { childBundle, runInChildProcess } from './process-runner.ts';
import { scriptDir } from './testkit.ts';

const quiet = (): Writable => new Writable({ write: (_chunk, _encoding, done) => done() });

describe('a built-in run killed on request', () => {
  it('ends at once with 105 and the start it had announced, its process gone', async () => {
    const bundle = childBundle();
    expect(bundle).toBeDefined();
    // An iteration that never yields: a stop (the first Ctrl-C) cannot reach the engine's thread.
    const dir = scriptDir({ 'script.js': "export const options = { duration: '60s' };\nexport default function () { while (true) {} }\n" });
    const stop = new AbortController();
    const kill = new AbortController();
    let pid: number | undefined;
    const started = Date.now();
    const result = await runInChildProcess(
      bundle!,
      {
        script: path.join(dir, 'script.js'),
        env: {},
        cwd: dir,
        stdout: quiet(),
        stderr: quiet(),
        signal: stop.signal,
        kill: kill.signal,
        onEvent: (event) => {
          if (event.type !== 'started') return;
          // Once the iteration spins (it starts at once): the stop finds the engine's thread held.
          setTimeout(() => {
            stop.abort();
            setTimeout(() => kill.abort(), 500);
          }, 1000);
        },
      },
      (spawned) => (pid = spawned),
    );
    expect(result.exitCode).toBe(K6_EXIT.externalAbort);
    expect(result.start?.source).toBe('engine');
    expect(result.summary).toBeUndefined();
    expect(Date.now() - started).toBeLessThan(15_000);
    expect(isRunning(pid!)).toBe(false);
  });
});
