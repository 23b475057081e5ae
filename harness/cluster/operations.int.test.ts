import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newRunId } from '../core/run-id.ts';
import { planCluster } from '../plan/cluster-plan.ts';
import { leftovers } from '../testing/docker-leftovers.ts';
import { HttpSession } from '../testing/http-session.ts';
import { testImages } from '../testing/images.ts';
import { startCluster, type Cluster } from './cluster.ts';
import { DockerRuntime } from '../docker/docker-runtime.ts';

const runtime = new DockerRuntime();

/** Sends `count` requests of one session and returns who answered what. */
async function sample(user: HttpSession, count: number): Promise<Array<{ status: number; replica: string | undefined }>> {
  const answers = [];
  for (let i = 0; i < count; i++) {
    const answer = await user.request('GET', '/cart');
    answers.push({ status: answer.status, replica: answer.replica });
  }
  return answers;
}

describe('cluster operations the fault timeline uses (stateless, 2 replicas)', () => {
  let c: Cluster;
  let user: HttpSession;
  beforeAll(async () => {
    const plan = planCluster({ runId: newRunId(), architecture: 'stateless', replicas: 2, lb: { checkIntervalMs: 300 } });
    c = await startCluster(plan, await testImages(), runtime);
    user = new HttpSession(c.lbUrl);
    expect((await user.request('POST', '/login', { user: 'ops' })).status).toBe(200);
    expect((await user.request('POST', '/cart/items', { sku: 'a', qty: 2 })).status).toBe(200);
  });
  afterAll(async () => {
    await c?.down();
    expect(await leftovers(runtime, c.plan.runId)).toEqual([]);
  });

  it('pause takes a replica out of the load balancer; unpause brings it back', async () => {
    const pause = await c.pause('app-1');
    expect(pause.phases.done).toBeGreaterThanOrEqual(pause.requestedAt);
    expect(c.member('app-1').status).toBe('paused');
    const down = await c.waitForLb('app-1', 'down');
    expect(down - pause.requestedAt).toBeLessThan(5000);
    const whilePaused = await sample(user, 6);
    expect(whilePaused.every((a) => a.status === 200 && a.replica === 'app-2')).toBe(true);

    await c.unpause('app-1');
    await c.waitForLb('app-1', 'up');
    expect(new Set((await sample(user, 6)).map((a) => a.replica))).toEqual(new Set(['app-1', 'app-2']));
  });

  it('disconnect cuts a replica off the network (marked down); reconnect heals it', async () => {
    await c.disconnect('app-2');
    await c.waitForLb('app-2', 'down');
    expect((await sample(user, 4)).every((a) => a.replica === 'app-1' && a.status === 200)).toBe(true);
    // Healed, it joins the load balancer again only once ready; "in LB" is the load balancer's own time.
    const heal = await c.reconnect('app-2');
    expect(heal.phases.inLb).toBeGreaterThanOrEqual(heal.phases.ready!);
    expect(await c.waitForLb('app-2', 'up')).toBe(heal.phases.inLb);
    expect(new Set((await sample(user, 6)).map((a) => a.replica))).toEqual(new Set(['app-1', 'app-2']));
  });

  it('restart waits for readiness and reports started and ready', async () => {
    const restart = await c.restart('app-1');
    expect(restart.phases.started).toBeGreaterThanOrEqual(restart.requestedAt);
    expect(restart.phases.ready).toBeGreaterThanOrEqual(restart.phases.started!);
    expect(restart.phases.inLb).toBeGreaterThanOrEqual(restart.phases.ready!);
    const states = await c.lbStateEvents();
    expect(states.some((s) => s.replica === 'app-1' && s.state === 'up' && s.time === restart.phases.inLb)).toBe(true);
  });

  it('the busiest replica is the one the load balancer sent most requests', async () => {
    const counts = await c.lbRequestCounts();
    expect(Object.keys(counts).sort()).toEqual(['app-1', 'app-2']);
    expect(Object.values(counts).every((n) => n > 0)).toBe(true);
  });

  it('a killed data tier fails requests; restarting it recovers them, with the data kept', async () => {
    await c.kill('redis');
    const failing = await sample(user, 3);
    expect(failing.every((a) => a.status === 503)).toBe(true);
    const restart = await c.restart('redis');
    expect(restart.phases.ready).toBeGreaterThanOrEqual(restart.phases.started!);
    // The replicas reconnect to Redis on their own; the load balancer may not even have marked them
    // down, so wait for the answer itself (bounded) rather than for the load balancer's view.
    let answer = await user.request('GET', '/cart');
    for (let i = 0; i < 100 && answer.status !== 200; i++) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      answer = await user.request('GET', '/cart');
    }
    expect(answer.status).toBe(200);
    expect(answer.body).toMatchObject({ count: 2 });
  });

  it('stop and scale-in remove a replica gracefully, with each phase timed', async () => {
    await c.addReplicas(1);
    const [removal] = await c.removeReplicas(['app-3']);
    expect(removal!.phases.stopped).toBeGreaterThanOrEqual(removal!.requestedAt);
    // The load balancer's own time: it may see the app close its port before the stop returns.
    expect(removal!.phases.outOfLb).toBeGreaterThanOrEqual(removal!.requestedAt);
    expect(removal!.phases.removed).toBeGreaterThanOrEqual(removal!.phases.outOfLb!);
    expect(c.replicas().map((r) => r.name)).toEqual(['app-1', 'app-2']);

    await c.stop('app-2');
    expect(c.member('app-2').status).toBe('stopped');
    await c.waitForLb('app-2', 'down');
    expect((await sample(user, 3)).every((a) => a.replica === 'app-1')).toBe(true);
  });
});
