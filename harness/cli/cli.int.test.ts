import { describe, expect, it } from 'vitest';
import { DockerRuntime } from '../docker/docker-runtime.ts';
import { runCli, startCli } from '../testing/cli.ts';
import { leftovers } from '../testing/docker-leftovers.ts';
import { testImages } from '../testing/images.ts';

const runtime = new DockerRuntime();
const RUN_ID = /r\d{8}-\d{6}-[0-9a-f]{4}/;

describe('harness CLI against a real Docker engine', () => {
  it('up prints the load balancer URL and run id; down removes every labelled resource', async () => {
    await testImages();
    const up = await runCli(['up', 'stateless', '--replicas', '2', '--json']);
    expect(up.code, up.stderr).toBe(0);
    const started = JSON.parse(up.stdout) as { runId: string; lbUrl: string; replicas: string[] };
    expect(started.lbUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(started.replicas).toEqual(['app-1', 'app-2']);
    const health = await fetch(`${started.lbUrl}/readyz`, { signal: AbortSignal.timeout(5000) });
    expect(health.status).toBe(200);
    // lb, redis, two replicas, the run's network and the load balancer's; the next test cleans them up.
    expect(await leftovers(runtime, started.runId)).toHaveLength(6);
  });

  it('down with a run id, and clean for everything else, leave nothing labelled behind', async () => {
    const first = await runCli(['up', 'stateful', '--replicas', '1']);
    expect(first.code, first.stderr).toBe(0);
    const runId = RUN_ID.exec(first.stdout)?.[0];
    expect(runId).toBeDefined();
    expect(first.stdout).toMatch(/load balancer: http:\/\/127\.0\.0\.1:\d+/);

    const down = await runCli(['down', runId!]);
    expect(down.code, down.stderr).toBe(0);
    expect(await leftovers(runtime, runId!)).toEqual([]);

    const clean = await runCli(['clean']);
    expect(clean.code, clean.stderr).toBe(0);
    expect(await leftovers(runtime)).toEqual([]);
  });

  it('SIGINT during up removes what the run had created and exits 130', async () => {
    await testImages();
    const { child, done } = startCli(['up', 'stateful', '--replicas', '3']);
    let runId: string | undefined;
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('up never reached replica creation')), 60_000);
      child.stderr?.on('data', (chunk: Buffer) => {
        runId ??= RUN_ID.exec(chunk.toString('utf8'))?.[0];
        if (runId && chunk.toString('utf8').includes('creating network')) {
          clearTimeout(timer);
          // Let it create some containers first.
          setTimeout(resolve, 400);
        }
      });
    });
    expect((await leftovers(runtime, runId)).length).toBeGreaterThan(0);
    child.kill('SIGINT');
    const result = await done;
    expect(result.code, result.stderr).toBe(130);
    expect(result.stderr).toContain('interrupted');
    expect(result.stderr).not.toMatch(/\n\s+at /);
    expect(await leftovers(runtime, runId)).toEqual([]);
  });

  it('doctor without a running engine says what is wrong and how to fix it, exits non-zero, no stack trace', async () => {
    const doctor = await runCli(['doctor'], { DOCKER_HOST: 'unix:///tmp/harness-no-such-docker.sock' });
    expect(doctor.code).toBe(1);
    expect(doctor.stdout).toMatch(/FAIL Docker engine: Cannot reach the Docker engine/);
    expect(doctor.stdout).toMatch(/fix: `npm run setup` installs and starts it/);
    expect(doctor.stdout + doctor.stderr).not.toMatch(/\n\s+at /);
  });

  it('up without a running engine fails with exit 2, a hint and no stack trace', async () => {
    const up = await runCli(['up', 'stateful'], { DOCKER_HOST: 'unix:///tmp/harness-no-such-docker.sock' });
    expect(up.code).toBe(2);
    expect(up.stderr).toMatch(/error \[E_DOCKER_UNREACHABLE\]/);
    expect(up.stderr).toMatch(/hint: `npm run setup` installs and starts it/);
    expect(up.stderr).not.toMatch(/\n\s+at /);
  });
});
