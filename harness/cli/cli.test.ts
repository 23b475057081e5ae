import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../testing/cli.ts';

const SCRIPT = path.join(mkdtempSync(path.join(os.tmpdir(), 'harness-cli-')), 'tiny.js');
writeFileSync(SCRIPT, 'export default function () {}\n');

// The real CLI, on inputs that fail before anything touches Docker.
describe('harness CLI input errors', () => {
  it.each([
    [['up', 'serverless'], /architecture.*Given: "serverless".*Choices: "stateful", "stateless", "event-sourced"/s],
    [['up', 'stateful', '--replicas', '0'], /replicas: 0 is not allowed; expected an integer from 1 to 32/],
    [['up', 'stateful', '--replicas', '3', '--max-replicas', '2'], /max-replicas: 2 is not allowed/],
    [['down', 'not-a-run'], /run-id: "not-a-run" is not allowed; expected a run id/],
    [['frobnicate'], /Unknown argument: frobnicate/],
    [[], /Name a command/],
    // A flag without its value is the user's mistake, not a bug to report.
    [['load', SCRIPT, '--vus'], /error \[E_USAGE\]: --vus: nothing is not allowed; expected a value after --vus/],
    [['load', SCRIPT, '-e'], /error \[E_USAGE\]: -e: nothing is not allowed; expected a value after -e/],
    [['load', SCRIPT, '--duration'], /--duration: nothing is not allowed/],
    [['load', SCRIPT, '--summary-export'], /--summary-export: nothing is not allowed/],
    [['gate', os.tmpdir(), '--max-error-rate'], /--max-error-rate: nothing is not allowed/],
    // Numbers with bounds, stated in the message.
    [['load', SCRIPT, '--vus', '99999999999999999999999', '--duration', '2s'], /--vus: "99999999999999999999999" is not allowed; expected a whole number from 1 to 5,000/],
    [['load', SCRIPT, '--iterations', '99999999999999999999'], /--iterations: "99999999999999999999" is not allowed; expected a whole number from 1 to 100,000,000/],
    [['load', SCRIPT, '--duration', '1000h'], /--duration: "1000h" is not allowed; expected a duration such as 30s, 1m30s or 2h, at most 24h/],
    // Paths that could only fail at the end of a run fail before it.
    [['load', os.tmpdir()], /script: ".*" is not allowed; expected the path of an existing k6 script file/],
    [['load', SCRIPT, '--summary-export', os.tmpdir()], /--summary-export: ".*" is not allowed; expected a file path, not a directory/],
    [['load', SCRIPT, '--out', `json=${os.tmpdir()}`], /--out json=: ".*" is not allowed; expected a file path, not a directory/],
  ])('harness %j exits 2 with a clear message and no stack trace', async (args, message) => {
    const result = await runCli(args, { DOCKER_HOST: 'unix:///tmp/harness-no-such-docker.sock' });
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(message);
    expect(result.stderr).not.toMatch(/\n\s+at /);
    expect(result.stderr).not.toMatch(/report it/);
  });

  it('a summary export that cannot be written (a full disk) is an error naming the flag and the file, exit 2', async () => {
    const result = await runCli(['load', SCRIPT, '--engine', 'builtin', '--iterations', '1', '--summary-export', '/dev/full']);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/error \[E_K6_OUTPUT\]: cannot write the summary export \/dev\/full: ENOSPC/);
    expect(result.stderr).not.toMatch(/report it/);
  });

  it('--help lists every command', async () => {
    const result = await runCli(['--help']);
    expect(result.code).toBe(0);
    for (const command of ['up', 'down', 'clean', 'doctor', 'images']) expect(result.stdout).toContain(`harness ${command}`);
  });
});
