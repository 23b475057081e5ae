import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LABEL_MANAGED, LABEL_ROLE, LABEL_RUN } from '../../harness/core/labels.ts';
import { newRunId } from '../../harness/core/run-id.ts';
import { DockerRuntime } from '../../harness/docker/docker-runtime.ts';
import { removeRun } from '../../harness/cluster/teardown.ts';
import { APP_COMMAND, APP_PORT, PROXY_API_PORT, PROXY_COMMAND } from '../../harness/images/app-image.ts';
import { waitUntil } from '../../harness/cluster/probes.ts';
import { leftovers } from '../../harness/testing/docker-leftovers.ts';
import { percentile } from '../../harness/testing/rig-figures.ts';
import { testImages } from '../../harness/testing/images.ts';

const runtime = new DockerRuntime();
const runId = newRunId();
const labels = { [LABEL_MANAGED]: 'true', [LABEL_RUN]: runId, [LABEL_ROLE]: 'app' };
const network = `harness-${runId}`;
/** The port the proxy listens at for the app, published on 127.0.0.1 (load goes only there). */
const PROXIED_PORT = 9000;

let lbUrl = '';
let api = '';

async function apiCall(method: string, path: string, body?: unknown): Promise<{ status: number; json: unknown }> {
  const response = await fetch(`${api}${path}`, {
    method,
    ...(body !== undefined ? { body: JSON.stringify(body), headers: { 'content-type': 'application/json' } } : {}),
    signal: AbortSignal.timeout(5_000),
  });
  const text = await response.text();
  return { status: response.status, json: text === '' ? undefined : (JSON.parse(text) as unknown) };
}

/** The median time of `count` GET /healthz through the proxy, one after the other. */
async function medianMs(count: number): Promise<number> {
  const times: number[] = [];
  for (let i = 0; i < count; i++) {
    const started = performance.now();
    const response = await fetch(`${lbUrl}/healthz`, { signal: AbortSignal.timeout(5_000) });
    await response.text();
    expect(response.status).toBe(200);
    times.push(performance.now() - started);
  }
  return percentile(times, 50);
}

describe('the fault proxy in the app image, between a client and a replica', () => {
  beforeAll(async () => {
    const images = await testImages();
    await runtime.createNetwork(network, labels);
    const app = await runtime.createContainer({
      name: `${network}-app-1`,
      image: images.app,
      labels,
      network,
      aliases: ['app'],
      cmd: [...APP_COMMAND],
      env: { REPLICA_NAME: 'app-1', PORT: String(APP_PORT), STATE_STORE: 'memory' },
      memoryBytes: 256 * 1024 * 1024,
      nanoCpus: 1e9,
    });
    await runtime.startContainer(app);
    const proxy = await runtime.createContainer({
      name: `${network}-proxy`,
      image: images.app,
      labels,
      network,
      cmd: [...PROXY_COMMAND, '-host', '0.0.0.0', '-port', String(PROXY_API_PORT)],
      publishOnLoopback: PROXIED_PORT,
      memoryBytes: 128 * 1024 * 1024,
      nanoCpus: 1e9,
    });
    await runtime.startContainer(proxy);
    const info = await runtime.inspectContainer(proxy);
    // The API is control, reached on the run's network (as HAProxy's runtime API is); load goes to 127.0.0.1.
    api = `http://${info.addresses[network]}:${PROXY_API_PORT}`;
    lbUrl = `http://127.0.0.1:${info.publishedPorts[PROXIED_PORT]}`;
    const answered = await waitUntil(async () => ((await apiCall('GET', '/version')).status === 200 ? true : undefined), { timeoutMs: 20_000 });
    if (!answered) throw new Error('the proxy API did not answer within 20 s');
  }, 120_000);

  afterAll(async () => {
    await removeRun(runtime, runId);
    expect(await leftovers(runtime, runId)).toEqual([]);
  });

  it('proxies to the replica by its Docker name, adds a latency toxic as Toxiproxy does, and removes it', async () => {
    const created = await apiCall('POST', '/proxies', { name: 'app', listen: `0.0.0.0:${PROXIED_PORT}`, upstream: `app:${APP_PORT}` });
    expect(created.status).toBe(201);
    // The app answers once its store is ready; then a baseline.
    const served = await waitUntil(async () => ((await fetch(`${lbUrl}/healthz`)).status === 200 ? true : undefined), { timeoutMs: 20_000 });
    if (!served) throw new Error('no answer through the proxy within 20 s');
    const baseline = await medianMs(21);

    const toxic = await apiCall('POST', '/proxies/app/toxics', { type: 'latency', stream: 'downstream', attributes: { latency: 200, jitter: 0 } });
    expect(toxic.status).toBe(200);
    expect((await apiCall('GET', '/proxies/app/toxics')).json).toEqual([expect.objectContaining({ name: 'latency_downstream', type: 'latency' })]);
    const slowed = await medianMs(21);
    // Within 10 % of the toxic. Through Docker's published port a few ms more than in-process (seen:
    // +206–208 ms, and +107–109 ms for a 100 ms toxic), all of it above the toxic, none below.
    expect(slowed - baseline).toBeGreaterThanOrEqual(200);
    expect(slowed - baseline).toBeLessThanOrEqual(220);

    expect((await apiCall('DELETE', '/proxies/app/toxics/latency_downstream')).status).toBe(204);
    const after = await medianMs(21);
    console.log(`fault proxy in Docker, median GET /healthz: ${baseline.toFixed(2)} ms, with latency 200: ${slowed.toFixed(2)} ms, removed: ${after.toFixed(2)} ms`);
    expect(after - baseline).toBeLessThan(10);
  });
});
