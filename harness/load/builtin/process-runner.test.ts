import { tmpdir } from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { runInChildProcess, sourceEntry } from './process-runner.ts';
import { scriptDir } from './testkit.ts';

describe('the engine without its bundle', () => {
  it("still runs in a process of its own: child-entry.ts under tsx, found from any directory", async () => {
    const dir = scriptDir({ 'script.js': "export default function () { console.log('ran'); }\n" });
    let stderr = '';
    let pid: number | undefined;
    const entry = sourceEntry();
    const result = await runInChildProcess(
      entry.module,
      {
        script: path.join(dir, 'script.js'),
        env: {},
        cwd: tmpdir(),
        stdout: new Writable({ write: (_chunk, _encoding, done) => done() }),
        stderr: new Writable({
          write: (chunk: Buffer, _encoding, done) => {
            stderr += chunk.toString();
            done();
          },
        }),
      },
      (spawned) => (pid = spawned),
      entry.execArgv,
    );
    expect(result.exitCode, stderr).toBe(0);
    expect(stderr).toContain('ran');
    expect(pid).not.toBe(process.pid);
  });
});
