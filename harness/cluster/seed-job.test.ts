import { describe, expect, it } from 'vitest';
import type { ContainerInfo, ContainerRuntime, ContainerSpec, LogLine } from '../docker/runtime.ts';
import { runSeedJob, seedCommand, seedTimeoutMs } from './seed-job.ts';

/** Just the calls a seed job makes, with a container that exits with `exitCode` after printing `log`. */
function fakeRuntime(exitCode: number, log: string[]) {
  const calls: string[] = [];
  let polls = 0;
  const runtime = {
    createContainer: async (spec: ContainerSpec) => {
      calls.push(`create ${spec.name} ${spec.cmd?.join(' ')}`);
      return 'c1';
    },
    startContainer: async () => void calls.push('start'),
    inspectContainer: async (): Promise<Pick<ContainerInfo, 'state' | 'exitCode'>> => {
      polls += 1;
      return polls < 3 ? { state: 'running', exitCode: undefined } : { state: 'exited', exitCode };
    },
    containerLogs: async (): Promise<LogLine[]> => log.map((text) => ({ timestamp: '2026-12-01T10:00:00.000000000Z', stream: 'stdout', text })),
    removeContainer: async (id: string) => void calls.push(`remove ${id}`),
  };
  return { runtime: runtime as unknown as ContainerRuntime, calls };
}

const spec: ContainerSpec = { name: 'harness-r1-seed-ledger', image: 'app', labels: {}, network: 'n', memoryBytes: 1, nanoCpus: 1, cmd: seedCommand(['node', '/opt/app/app.cjs'], 1000) };

describe('runSeedJob', () => {
  it('runs the app\'s seed-ledger command, reads its seed_done line and removes the container', async () => {
    const { runtime, calls } = fakeRuntime(0, ['{"level":"info","event":"seed_done","events":1001,"durationMs":12}']);
    const { result, log } = await runSeedJob(runtime, spec, 1000, undefined);
    expect(result).toMatchObject({ events: 1001, durationMs: 12 });
    expect(result.wallMs).toBeGreaterThanOrEqual(0);
    expect(log).toHaveLength(1);
    expect(calls).toEqual(['create harness-r1-seed-ledger node /opt/app/app.cjs seed-ledger 1000', 'start', 'remove c1']);
  });

  it('fails with E_SEED and the end of its log when the seed fails, and still removes the container', async () => {
    const { runtime, calls } = fakeRuntime(1, ['{"event":"seed_failed","reason":"account_exists"}', 'seed-ledger: account seed-history exists']);
    await expect(runSeedJob(runtime, spec, 1000, undefined)).rejects.toMatchObject({
      code: 'E_SEED',
      message: expect.stringMatching(/exit code 1\)[\s\S]*account seed-history exists/),
    });
    expect(calls.at(-1)).toBe('remove c1');
  });

  it('refuses a success without the seed_done line rather than guessing what was written', async () => {
    const { runtime } = fakeRuntime(0, ['something else']);
    await expect(runSeedJob(runtime, spec, 1000, undefined)).rejects.toMatchObject({ code: 'E_SEED' });
  });

  it('gives large seeds more time', () => {
    expect(seedTimeoutMs(0)).toBe(30_000);
    expect(seedTimeoutMs(2_000_000)).toBe(130_000);
  });
});
