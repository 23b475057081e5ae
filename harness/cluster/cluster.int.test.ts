import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newRunId } from '../core/run-id.ts';
import { planCluster } from '../plan/cluster-plan.ts';
import { leftovers } from '../testing/docker-leftovers.ts';
import { HttpSession } from '../testing/http-session.ts';
import { testImages } from '../testing/images.ts';
import { startCluster, type Cluster } from './cluster.ts';
import { DockerRuntime } from '../docker/docker-runtime.ts';

const runtime = new DockerRuntime();

async function cluster(architecture: 'stateful' | 'stateless', replicas: number): Promise<Cluster> {
  const images = await testImages();
  return startCluster(planCluster({ runId: newRunId(), architecture, replicas }), images, runtime);
}

describe('stateful cluster (sticky sessions, state in replica memory)', () => {
  let c: Cluster;
  beforeAll(async () => {
    c = await cluster('stateful', 3);
  });
  afterAll(async () => {
    await c?.down();
    expect(await leftovers(runtime, c.plan.runId)).toEqual([]);
  });

  it('pins a session to one replica, loses it when that replica is killed, and lets a new login work', async () => {
    const user = new HttpSession(c.lbUrl);
    const login = await user.request('POST', '/login', { user: 'ann' });
    expect(login.status).toBe(200);
    const replicas = new Set<string | undefined>();
    for (let i = 0; i < 20; i++) {
      const answer = await user.request('POST', '/cart/items', { sku: `sku-${i}`, qty: 1 });
      expect(answer.status).toBe(200);
      replicas.add(answer.replica);
    }
    expect(replicas.size).toBe(1);
    const pinned = [...replicas][0]!;
    expect(c.replicas().map((r) => r.name)).toContain(pinned);

    const kill = await c.kill(pinned);
    expect(kill.completedAt).toBeGreaterThanOrEqual(kill.requestedAt);
    const lost = await user.request('GET', '/cart');
    expect(lost.status).toBe(401);
    expect(lost.body).toEqual({ error: 'session_unknown' });
    expect(lost.replica).toBeDefined();
    expect(lost.replica).not.toBe(pinned);

    const again = await user.request('POST', '/login', { user: 'ann' });
    expect(again.status).toBe(200);
    const cart = await user.request('GET', '/cart');
    expect(cart.status).toBe(200);
    expect(cart.replica).not.toBe(pinned);
  });
});

describe('stateless cluster (round robin, state in Redis)', () => {
  let c: Cluster;
  beforeAll(async () => {
    c = await cluster('stateless', 3);
  });
  afterAll(async () => {
    await c?.down();
    expect(await leftovers(runtime, c.plan.runId)).toEqual([]);
  });

  it('spreads a sequence of requests over all replicas and keeps the cart when the serving replica is killed', async () => {
    const user = new HttpSession(c.lbUrl);
    expect((await user.request('POST', '/login', { user: 'bob' })).status).toBe(200);
    const seen = new Map<string, number>();
    let last: string | undefined;
    for (let i = 0; i < 12; i++) {
      const answer = await user.request('POST', '/cart/items', { sku: `sku-${i}`, qty: 1 });
      expect(answer.status).toBe(200);
      last = answer.replica!;
      seen.set(last, (seen.get(last) ?? 0) + 1);
    }
    expect([...seen.keys()].sort()).toEqual(c.replicas().map((r) => r.name).sort());
    const before = (await user.request('GET', '/cart')).body as { count: number; version: number };

    await c.kill(last!);
    for (let i = 0; i < 6; i++) {
      const answer = await user.request('GET', '/cart');
      expect(answer.status).toBe(200);
      expect(answer.replica).not.toBe(last);
      expect(answer.body).toMatchObject({ count: before.count, version: before.version });
    }
  });
});

describe('scale-out while serving', () => {
  let c: Cluster;
  beforeAll(async () => {
    c = await cluster('stateless', 2);
  });
  afterAll(async () => {
    await c?.down();
  });

  it('adds two replicas that receive requests without a load balancer restart, and times each phase', async () => {
    const lbBefore = await runtime.inspectContainer(c.lb.containerId);
    const user = new HttpSession(c.lbUrl);
    expect((await user.request('POST', '/login', { user: 'cy' })).status).toBe(200);

    const served: Array<{ at: number; replica: string | undefined; status: number }> = [];
    let serving = true;
    const traffic = (async () => {
      const deadline = Date.now() + 30_000;
      for (let i = 0; serving && i < 5000 && Date.now() < deadline; i++) {
        const answer = await user.request('GET', '/cart');
        served.push({ at: Date.now(), replica: answer.replica, status: answer.status });
      }
    })();

    const results = await c.addReplicas(2);
    await new Promise((resolve) => setTimeout(resolve, 1500));
    serving = false;
    await traffic;

    expect(results.map((r) => r.target)).toEqual(['app-3', 'app-4']);
    for (const result of results) {
      const { created, started, ready, inLb } = result.phases;
      expect(created).toBeGreaterThanOrEqual(result.requestedAt);
      expect(started).toBeGreaterThanOrEqual(created!);
      expect(ready).toBeGreaterThanOrEqual(started!);
      expect(inLb).toBeGreaterThanOrEqual(ready!);
      const firstServed = served.find((s) => s.replica === result.target);
      expect(firstServed, `${result.target} received no request`).toBeDefined();
    }
    expect(served.filter((s) => s.status !== 200)).toEqual([]);
    const lbAfter = await runtime.inspectContainer(c.lb.containerId);
    expect(lbAfter.startedAt).toBe(lbBefore.startedAt);
    expect(lbAfter.state).toBe('running');
    const servers = await c.lbServers();
    expect(servers.filter((s) => s.up).map((s) => s.replica).sort()).toEqual(['app-1', 'app-2', 'app-3', 'app-4']);
  });
});
