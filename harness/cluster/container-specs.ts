/**
 * Every container and network of a cluster as a value made from its plan: names, labels, networks,
 * aliases, environment, limits and command lines. Nothing here talks to Docker; starting them is
 * bring-up.ts's job, and the names come from naming.ts.
 */
import { replicaEnv } from '../core/app-env.ts';
import { LABEL_ARCHITECTURE, LABEL_CREATED, LABEL_MANAGED, LABEL_REPLICA, LABEL_ROLE, LABEL_RUN, type Role } from '../core/labels.ts';
import type { ContainerSpec, Labels } from '../docker/runtime.ts';
import { APP_COMMAND, APP_PORT } from '../images/app-image.ts';
import { needsDatastore, STATE_STORE, type ClusterPlan } from '../plan/cluster-plan.ts';
import { DEFAULT_LB_PORTS, haproxyConfig } from '../../targets/lb/haproxy-config.ts';
import { APP_ALIAS, DATASTORE_NAME, DATASTORE_PORT, LB_NAME, containerName, frontNetworkName, networkName, replicaName } from './naming.ts';
import { SEED_JOB_NAME, seedCommand } from './seed-job.ts';

/** The images a cluster runs: the app image for replicas, the base image for HAProxy and Redis. */
export interface ClusterImages {
  app: string;
  base: string;
}

export interface NetworkSpec {
  name: string;
  labels: Labels;
}

/** A load balancer's container and the HAProxy configuration it is given (kept for the trial's haproxy.cfg). */
export interface LoadBalancerSpec {
  spec: ContainerSpec;
  config: string;
}

/** Seconds a replica (or anything stopped gracefully) has between SIGTERM and SIGKILL. */
export const GRACEFUL_STOP_SECONDS = 10;

/**
 * The load balancer's neighbour (ARP) resolution on the front network (its eth0), retried every 10 ms
 * instead of every 1 s. Docker publishes a joining replica's DNS alias some 20–40 ms before its
 * interface answers (measured: an address resolved every 1 ms, then connected to, was reachable
 * 30–45 ms after it first resolved). A connect sent in that gap loses its first ARP request, and with
 * the kernel's default the next one goes out 1 s later: every request sent there meanwhile waited out
 * the connect timeout and was retried elsewhere (seen: 13 retried, 102 ms at the load balancer on a
 * scale-out). Retried every 10 ms, the connect completes as soon as the interface is up, within the
 * connect timeout. A real network's registry publishes an address once it is reachable; this keeps
 * Docker's gap from being billed to the architecture.
 */
export const LB_NEIGHBOUR_SYSCTLS = { 'net.ipv4.neigh.eth0.retrans_time_ms': '10' } as const;

const HAPROXY_CONFIG_PATH = '/etc/harness/haproxy.cfg';
const NOBODY = '65534:65534';
const DATASTORE_URL = `redis://${DATASTORE_NAME}:${DATASTORE_PORT}`;

/** The labels every resource of the run carries (`harness down` and `harness clean` find it by them). */
export function runLabels(plan: ClusterPlan, role: Role, createdAt: Date): Record<string, string> {
  return {
    [LABEL_MANAGED]: 'true',
    [LABEL_RUN]: plan.runId,
    [LABEL_ROLE]: role,
    [LABEL_ARCHITECTURE]: plan.architecture,
    [LABEL_CREATED]: createdAt.toISOString(),
  };
}

/** The run's network (replicas, the data tier, readiness probes), then the load balancer's. */
export function networkSpecs(plan: ClusterPlan, createdAt: Date): NetworkSpec[] {
  return [networkName(plan.runId), frontNetworkName(plan.runId)].map((name) => ({ name, labels: runLabels(plan, 'lb', createdAt) }));
}

/** HAProxy on the front network, its port published on 127.0.0.1; `cookieKey` signs sticky cookies. */
export function loadBalancerSpec(plan: ClusterPlan, images: ClusterImages, cookieKey: string, createdAt: Date): LoadBalancerSpec {
  const config = haproxyConfig({
    maxReplicas: plan.maxReplicas,
    appAlias: APP_ALIAS,
    appPort: APP_PORT,
    ...DEFAULT_LB_PORTS,
    cookieKey,
    settings: plan.lb,
  });
  const spec: ContainerSpec = {
    name: containerName(plan.runId, LB_NAME),
    image: images.base,
    labels: runLabels(plan, 'lb', createdAt),
    network: frontNetworkName(plan.runId),
    user: NOBODY,
    cmd: ['haproxy', '-W', '-db', '-f', HAPROXY_CONFIG_PATH],
    files: { [HAPROXY_CONFIG_PATH]: config },
    publishOnLoopback: DEFAULT_LB_PORTS.frontendPort,
    sysctls: LB_NEIGHBOUR_SYSCTLS,
    memoryBytes: plan.limits.lb.memoryBytes,
    nanoCpus: plan.limits.lb.nanoCpus,
  };
  return { spec, config };
}

/** Replica `index` (app-<index>), on the run's network only until it is ready. */
export function replicaSpec(plan: ClusterPlan, images: ClusterImages, index: number, createdAt: Date): ContainerSpec {
  const name = replicaName(index);
  return {
    name: containerName(plan.runId, name),
    image: images.app,
    labels: { ...runLabels(plan, 'app', createdAt), [LABEL_REPLICA]: String(index) },
    // No alias here: the load balancer finds a replica only once it joins the front network (lb-registry.ts).
    network: networkName(plan.runId),
    env: replicaEnv(plan.appEnv, {
      REPLICA_NAME: name,
      PORT: String(APP_PORT),
      STATE_STORE: STATE_STORE[plan.architecture],
      REDIS_URL: needsDatastore(plan.architecture) ? DATASTORE_URL : undefined,
    }),
    memoryBytes: plan.limits.app.memoryBytes,
    nanoCpus: plan.limits.app.nanoCpus,
    stopTimeoutSeconds: GRACEFUL_STOP_SECONDS,
  };
}

/** Redis, under the alias `redis` on the run's network. */
export function datastoreSpec(plan: ClusterPlan, images: ClusterImages, createdAt: Date): ContainerSpec {
  return {
    name: containerName(plan.runId, DATASTORE_NAME),
    image: images.base,
    labels: runLabels(plan, 'datastore', createdAt),
    network: networkName(plan.runId),
    aliases: [DATASTORE_NAME],
    user: NOBODY,
    // Append-only file inside the container, so a restarted data tier keeps what it had.
    cmd: ['redis-server', '--bind', '0.0.0.0', '--protected-mode', 'no', '--save', '', '--appendonly', 'yes', '--appendfsync', 'everysec', '--dir', '/tmp'],
    memoryBytes: plan.limits.datastore.memoryBytes,
    nanoCpus: plan.limits.datastore.nanoCpus,
  };
}

/** The one-shot job that writes the plan's ledger history to the data tier (seed-job.ts). */
export function seedJobSpec(plan: ClusterPlan, images: ClusterImages, createdAt: Date): ContainerSpec {
  return {
    name: containerName(plan.runId, SEED_JOB_NAME),
    image: images.app,
    labels: runLabels(plan, 'job', createdAt),
    network: networkName(plan.runId),
    env: { REDIS_URL: DATASTORE_URL, REPLICA_NAME: SEED_JOB_NAME },
    cmd: seedCommand(APP_COMMAND, plan.seedEvents),
    memoryBytes: plan.limits.app.memoryBytes,
    nanoCpus: plan.limits.app.nanoCpus,
  };
}
