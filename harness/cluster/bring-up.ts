/**
 * Brings a planned cluster up, in the order its parts need each other: the networks, the data tier
 * (and the ledger history it should hold), the replicas, ready and registered, then the load
 * balancer, which finds them at once, and last its word that each is up. A step that fails
 * removes everything the run created before the error goes on.
 */
import { randomBytes } from 'node:crypto';
import type { ContainerRuntime, LogLine } from '../docker/runtime.ts';
import { needsDatastore, type ClusterPlan } from '../plan/cluster-plan.ts';
import { DEFAULT_LB_PORTS } from '../../targets/lb/haproxy-config.ts';
import { clusterContext, type ClusterContext, type ClusterOptions } from './cluster-context.ts';
import { datastoreSpec, loadBalancerSpec, networkSpecs, seedJobSpec, type ClusterImages } from './container-specs.ts';
import { LbRegistry } from './lb-registry.ts';
import { LoadBalancer } from './load-balancer.ts';
import { Roster, type Member } from './members.ts';
import { containerName, DATASTORE_NAME, LB_NAME } from './naming.ts';
import { loadBalancerReady, memberReady } from './readiness.ts';
import { ReplicaSet } from './replica-set.ts';
import { runSeedJob, type SeedResult } from './seed-job.ts';
import { removeRun } from './teardown.ts';
import { notReadyError, waitForMember, waitForReady } from './wait-for-ready.ts';

/** Everything a started cluster is made of, each part complete. */
export interface ClusterParts {
  context: ClusterContext;
  roster: Roster;
  registry: LbRegistry;
  replicaSet: ReplicaSet;
  lb: StartedLoadBalancer;
  datastore: Member | undefined;
  /** The ledger history written before the replicas started, and the seed job's log. */
  seed: { result: SeedResult; log: LogLine[] } | undefined;
}

export interface StartedLoadBalancer {
  member: Member;
  /** http://127.0.0.1:<port> — the only address load is sent to. */
  url: string;
  /** The HAProxy configuration it runs. */
  config: string;
  balancer: LoadBalancer;
}

export async function bringUp(plan: ClusterPlan, images: ClusterImages, runtime: ContainerRuntime, options: ClusterOptions): Promise<ClusterParts> {
  const context = clusterContext(plan, images, runtime, options);
  const roster = new Roster(plan.runId);
  const registry = new LbRegistry(runtime, context.frontNetwork);
  let lb: StartedLoadBalancer | undefined;
  try {
    context.log(`creating networks ${context.network} and ${context.frontNetwork}`);
    for (const network of networkSpecs(plan, new Date())) await runtime.createNetwork(network.name, network.labels);
    context.signal?.throwIfAborted();
    const datastore = needsDatastore(plan.architecture) ? await startDatastore(context, roster) : undefined;
    const seed = plan.seedEvents > 0 ? await seedLedger(context) : undefined;
    const replicaSet = new ReplicaSet(context, roster, registry, memberReady('app', plan));
    await replicaSet.add(plan.replicas, undefined);
    lb = await startLoadBalancer(context, roster, registry, options.lbLogPath);
    for (const replica of roster.replicas()) await lb.balancer.waitFor(replica.name, 'up');
    return { context, roster, registry, replicaSet, lb, datastore, seed };
  } catch (error) {
    lb?.balancer.stop();
    await removeRun(runtime, plan.runId).catch(() => undefined);
    throw error;
  }
}

async function startDatastore(context: ClusterContext, roster: Roster): Promise<Member> {
  const { runtime, plan, images } = context;
  const id = await runtime.createContainer(datastoreSpec(plan, images, new Date()));
  const member = roster.add({ name: DATASTORE_NAME, containerId: id, role: 'datastore', status: 'running' });
  await runtime.startContainer(id);
  await waitForMember(context, member, memberReady('datastore', plan));
  return member;
}

async function seedLedger(context: ClusterContext): Promise<ClusterParts['seed']> {
  const { runtime, plan, images } = context;
  context.log(`seeding the ledger with ${plan.seedEvents} events`);
  const seed = await runSeedJob(runtime, seedJobSpec(plan, images, new Date()), plan.seedEvents, context.signal);
  context.log(`seeded ${seed.result.events} events in ${seed.result.durationMs} ms`);
  return seed;
}

async function startLoadBalancer(
  context: ClusterContext,
  roster: Roster,
  registry: LbRegistry,
  logPath: string | undefined,
): Promise<StartedLoadBalancer> {
  const { runtime, plan, images } = context;
  const { spec, config } = loadBalancerSpec(plan, images, randomBytes(8).toString('hex'), new Date());
  const id = await runtime.createContainer(spec);
  const member = roster.add({ name: LB_NAME, containerId: id, role: 'lb', status: 'running' });
  await runtime.startContainer(id);
  const info = await runtime.inspectContainer(id);
  const hostPort = info.publishedPorts[DEFAULT_LB_PORTS.frontendPort];
  const host = info.addresses[context.frontNetwork];
  if (!hostPort || !host) throw await notReadyError(runtime, member, 'the load balancer has no published port');
  await waitForReady(context, member, host, loadBalancerReady());
  // Followed from its first line: lb.log, state changes, counters snapshots.
  const balancer = await LoadBalancer.follow({
    containerName: containerName(plan.runId, LB_NAME),
    host,
    runtimeApiPort: DEFAULT_LB_PORTS.runtimeApiPort,
    addresses: registry.addresses,
    logPath,
    signal: context.signal,
    now: context.now,
  });
  return { member, url: `http://127.0.0.1:${hostPort}`, config, balancer };
}
