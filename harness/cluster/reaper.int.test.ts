import { spawn } from 'node:child_process';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { newRunId } from '../core/run-id.ts';
import { tsxExecArgv } from '../core/tsx-loader.ts';
import { DockerRuntime } from '../docker/docker-runtime.ts';
import { startCli } from '../testing/cli.ts';
import { leftovers } from '../testing/docker-leftovers.ts';
import { testImages } from '../testing/images.ts';
import { sleep, waitUntil } from './probes.ts';
import { removeRun } from './teardown.ts';

const runtime = new DockerRuntime();
/** The bound: whatever kills the harness, its run is gone within this. */
const REAPED_WITHIN_MS = 10_000;

/** Polls until nothing of the run (or of any run) is left; returns how long that took, or Infinity. */
async function goneWithin(runId: string | undefined, sinceMs: number): Promise<number> {
  const gone = await waitUntil(async () => ((await leftovers(runtime, runId)).length === 0 ? Date.now() - sinceMs : undefined), {
    timeoutMs: Math.max(0, sinceMs + REAPED_WITHIN_MS + 5_000 - Date.now()),
    intervalMs: 200,
  });
  return gone ?? Number.POSITIVE_INFINITY;
}

/** A node process that creates a network and a container of `runId`, arms its reaper, and waits. */
function holder(runId: string, image: string, release: boolean): { child: ReturnType<typeof spawn>; ready: Promise<void> } {
  const script = `
    import { DockerRuntime } from ${JSON.stringify(new URL('../docker/docker-runtime.ts', import.meta.url).pathname)};
    import { armReaper } from ${JSON.stringify(new URL('./reaper.ts', import.meta.url).pathname)};
    import { runFilter, LABEL_MANAGED, LABEL_RUN } from ${JSON.stringify(new URL('../core/labels.ts', import.meta.url).pathname)};
    const runId = ${JSON.stringify(runId)};
    const labels = { [LABEL_MANAGED]: 'true', [LABEL_RUN]: runId };
    const runtime = new DockerRuntime();
    const reaper = armReaper(runId);
    const network = 'harness-' + runId;
    await runtime.createNetwork(network, labels);
    const id = await runtime.createContainer({ name: 'harness-' + runId + '-held', image: ${JSON.stringify(image)}, labels, network, cmd: ['sleep', '600'], memoryBytes: 64 * 1024 * 1024, nanoCpus: 1e8 });
    await runtime.startContainer(id);
    if (${release}) reaper.release();
    console.log('ready');
    if (!${release}) setInterval(() => undefined, 1000);
  `;
  // From another directory than the repository's, as a user's `npx harness` may run: the reaper must still start.
  const child = spawn(process.execPath, [...tsxExecArgv(), '--input-type=module', '-e', script], { cwd: tmpdir(), stdio: ['ignore', 'pipe', 'inherit'] });
  const ready = new Promise<void>((resolve, reject) => {
    child.stdout?.on('data', (chunk: Buffer) => {
      if (chunk.toString().includes('ready')) resolve();
    });
    child.once('exit', (code) => reject(new Error(`holder exited with ${code} before it was ready`)));
  });
  return { child, ready };
}

describe('the reaper removes a run whatever ends the harness', () => {
  const runIds: string[] = [];
  afterAll(async () => {
    for (const runId of runIds) await removeRun(runtime, runId);
  });

  it('SIGKILL of the process that holds a run: its container and network are gone within 10 s', async () => {
    const runId = newRunId();
    runIds.push(runId);
    const { child, ready } = holder(runId, (await testImages()).base, false);
    await ready;
    expect(await leftovers(runtime, runId)).toHaveLength(2);
    const killedAt = Date.now();
    child.kill('SIGKILL');
    expect(await goneWithin(runId, killedAt)).toBeLessThanOrEqual(REAPED_WITHIN_MS);
  });

  it('a released reaper leaves the run alone (what `harness up` does once its cluster is up)', async () => {
    const runId = newRunId();
    runIds.push(runId);
    const { child, ready } = holder(runId, (await testImages()).base, true);
    await ready;
    await new Promise((resolve) => child.once('exit', resolve));
    await sleep(5_000);
    expect(await leftovers(runtime, runId)).toHaveLength(2);
  });
});

describe('`harness run` killed with SIGKILL at random moments', () => {
  const RUNS = Number(process.env.REAPER_TEST_RUNS ?? 20);
  /** Two at a time: the 2-core machine has room for it, and it halves the test's time. */
  const AT_ONCE = 2;
  let reports = '';
  afterAll(async () => {
    if (reports) await rm(reports, { recursive: true, force: true });
  });

  /** One `harness run`, SIGKILLed after `killAfterMs`; how much of it there was, and how fast it went. */
  async function killedRun(index: number, killAfterMs: number): Promise<{ killAfterMs: number; created: number; reapedInMs: number }> {
    const dir = path.join(reports, String(index));
    const { child, done } = startCli(['run', '--only', 'stateless', '--engine', 'builtin', '--reports-dir', dir]);
    const started = Date.now();
    let runId: string | undefined;
    let created = 0;
    while (Date.now() - started < killAfterMs) {
      // The run directory is made before anything in Docker; its name is the run id the labels carry.
      runId ??= (await readdir(dir).catch(() => []))[0];
      if (runId !== undefined) created = Math.max(created, (await leftovers(runtime, runId)).length);
      await sleep(200);
    }
    const killedAt = Date.now();
    child.kill('SIGKILL');
    await done;
    runId ??= (await readdir(dir).catch(() => []))[0];
    return { killAfterMs, created, reapedInMs: runId === undefined ? 0 : await goneWithin(runId, killedAt) };
  }

  it(`leaves nothing behind in ${RUNS} runs, without \`harness clean\``, async () => {
    await testImages();
    reports = await mkdtemp(path.join(tmpdir(), 'reaper-runs-'));
    const outcomes: Array<{ killAfterMs: number; created: number; reapedInMs: number }> = [];
    for (let first = 0; first < RUNS; first += AT_ONCE) {
      // Spread evenly over the harness's start (tsx, images, Docker: about the first 4 s), the cluster's
      // creation and the load, each moment jittered at random within its own slice.
      const moment = (index: number): number => 500 + Math.floor(((index + Math.random()) / RUNS) * 8_500);
      const batch = Array.from({ length: Math.min(AT_ONCE, RUNS - first) }, (_, k) => killedRun(first + k, moment(first + k)));
      outcomes.push(...(await Promise.all(batch)));
    }
    console.log(`reaper: ${JSON.stringify(outcomes)}`);
    expect(outcomes.filter((o) => o.reapedInMs > REAPED_WITHIN_MS), JSON.stringify(outcomes)).toEqual([]);
    // The kills did land while runs had things to leave behind (seen by the polls, or still there after the kill).
    expect(outcomes.filter((o) => o.created > 0 || o.reapedInMs > 0).length, JSON.stringify(outcomes)).toBeGreaterThanOrEqual(RUNS / 3);
    expect(await leftovers(runtime)).toEqual([]);
  }, 900_000);
});
