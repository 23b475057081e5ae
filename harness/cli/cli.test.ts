import { describe, expect, it } from 'vitest';
import { runCli } from '../testing/cli.ts';

// The real CLI, on inputs that fail before anything touches Docker.
describe('harness CLI input errors', () => {
  it.each([
    [['up', 'serverless'], /architecture.*Given: "serverless".*Choices: "stateful", "stateless", "event-sourced"/s],
    [['up', 'stateful', '--replicas', '0'], /replicas: 0 is not allowed; expected an integer from 1 to 32/],
    [['up', 'stateful', '--replicas', '3', '--max-replicas', '2'], /max-replicas: 2 is not allowed/],
    [['down', 'not-a-run'], /run-id: "not-a-run" is not allowed; expected a run id/],
    [['frobnicate'], /Unknown argument: frobnicate/],
    [[], /Name a command/],
  ])('harness %j exits 2 with a clear message and no stack trace', async (args, message) => {
    const result = await runCli(args, { DOCKER_HOST: 'unix:///tmp/harness-no-such-docker.sock' });
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(message);
    expect(result.stderr).not.toMatch(/\n\s+at /);
  });

  it('--help lists every command', async () => {
    const result = await runCli(['--help']);
    expect(result.code).toBe(0);
    for (const command of ['up', 'down', 'clean', 'doctor', 'images']) expect(result.stdout).toContain(`harness ${command}`);
  });
});
