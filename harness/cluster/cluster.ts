import { randomBytes } from 'node:crypto';
import { replicaEnv } from '../core/app-env.ts';
import { HarnessError } from '../core/errors.ts';
import {
  LABEL_ARCHITECTURE,
  LABEL_CREATED,
  LABEL_MANAGED,
  LABEL_REPLICA,
  LABEL_ROLE,
  LABEL_RUN,
  type Role,
} from '../core/labels.ts';
import { needsDatastore, STATE_STORE, type ClusterPlan } from '../plan/cluster-plan.ts';
import { BACKEND, DEFAULT_LB_PORTS, haproxyConfig } from '../../targets/lb/haproxy-config.ts';
import { APP_COMMAND, APP_PORT } from '../images/app-image.ts';
import { AddressBook } from './address-book.ts';
import { readServerStats, readServersState, type LbServerState } from './lb-runtime-api.ts';
import { parseLbStateEvents, type LbStateEvent } from './lb-log.ts';
import { APP_ALIAS, DATASTORE_NAME, DATASTORE_PORT, LB_NAME, containerName, networkName, replicaName } from './naming.ts';
import { httpStatus, redisPing, waitUntil } from './probes.ts';
import type { ContainerRuntime, ContainerSpec, LogLine } from '../docker/runtime.ts';
import { removeRun } from './teardown.ts';
import { runSeedJob, SEED_JOB_NAME, seedCommand, type SeedResult } from './seed-job.ts';

/** Epoch milliseconds on the host's clock. */
export type Millis = number;

export interface Member {
  /** Short name: `app-3`, `redis`, `lb`. Replicas answer with it in `X-Replica`. */
  name: string;
  containerId: string;
  role: Role;
  /** Replicas only: 1, 2, … in creation order, never reused within a run. */
  index?: number;
  /** What the harness last did to it; faults choose among members by it. */
  status: MemberStatus;
}

export type MemberStatus = 'running' | 'paused' | 'stopped' | 'disconnected';

/** What one cluster operation did and when: the fault timeline records these as events. */
export interface OperationResult {
  operation: string;
  target: string;
  containers: string[];
  requestedAt: Millis;
  completedAt: Millis;
  /** Phase name → time it was reached (e.g. created, started, ready, inLb). */
  phases: Record<string, Millis>;
}

export interface LbServer extends LbServerState {
  /** The replica behind the slot's address, when the harness knows it. */
  replica: string | undefined;
  readAt: Millis;
}

export interface ClusterOptions {
  signal?: AbortSignal;
  log?: (line: string) => void;
  /** Health check interval of the load balancer; detection takes about two of them. */
  checkIntervalMs?: number;
  clock?: () => Millis;
}

export interface Cluster extends AsyncDisposable {
  readonly plan: ClusterPlan;
  readonly network: string;
  /** http://127.0.0.1:<port> — the only address load is sent to. */
  readonly lbUrl: string;
  readonly lb: Member;
  readonly datastore: Member | undefined;
  /** The ledger history written before the replicas started, when the plan asked for one. */
  readonly seeded: SeedResult | undefined;
  /** Replicas that exist now (running, paused, stopped or cut off), in creation order. */
  replicas(): Member[];
  member(name: string): Member;

  addReplicas(count: number): Promise<OperationResult[]>;
  removeReplicas(names: readonly string[]): Promise<OperationResult[]>;
  kill(name: string): Promise<OperationResult>;
  stop(name: string): Promise<OperationResult>;
  restart(name: string): Promise<OperationResult>;
  pause(name: string): Promise<OperationResult>;
  unpause(name: string): Promise<OperationResult>;
  disconnect(name: string): Promise<OperationResult>;
  reconnect(name: string): Promise<OperationResult>;

  /** Each load balancer slot's state now, mapped to replica names. */
  lbServers(): Promise<LbServer[]>;
  /** Requests the load balancer has sent to each replica so far (by name). */
  lbRequestCounts(): Promise<Record<string, number>>;
  /** Waits until the load balancer sees the replica as up (or down); returns when it did. */
  waitForLb(name: string, want: 'up' | 'down', timeoutMs?: number): Promise<Millis>;
  /** State changes from the load balancer's log, with slots mapped to replicas where known. */
  lbStateEvents(): Promise<Array<LbStateEvent & { replica: string | undefined }>>;
  /** A member's log; also for replicas that scale-in removed. */
  logs(name: string, tail?: number): Promise<LogLine[]>;
  /** Replicas removed by scale-in (their logs are still available). */
  retiredReplicas(): string[];
  /** One-shot containers that ran and were removed (the seed), whose logs are still available. */
  finishedJobs(): string[];
  /** Removes every container and the network of the run (also what this handle did not create). */
  down(): Promise<void>;
}

/** The images a cluster runs: the app image for replicas, the base image for HAProxy and Redis. */
export interface ClusterImages {
  app: string;
  base: string;
}

export async function startCluster(
  plan: ClusterPlan,
  images: ClusterImages,
  runtime: ContainerRuntime,
  options: ClusterOptions = {},
): Promise<Cluster> {
  const cluster = new DockerCluster(plan, images, runtime, options);
  try {
    await cluster.create();
    return cluster;
  } catch (error) {
    await cluster.down().catch(() => undefined);
    throw error;
  }
}

class DockerCluster implements Cluster {
  readonly plan: ClusterPlan;
  readonly images: ClusterImages;
  readonly network: string;
  lbUrl = '';
  lb!: Member;
  datastore: Member | undefined;
  seeded: SeedResult | undefined;

  private readonly runtime: ContainerRuntime;
  private readonly options: ClusterOptions;
  private readonly now: () => Millis;
  private readonly members = new Map<string, Member>();
  /** Every address a replica has had, so slots seen in old log lines still map to a name. */
  private readonly addresses = new AddressBook();
  private readonly retiredLogs = new Map<string, LogLine[]>();
  private readonly jobLogs = new Map<string, LogLine[]>();
  private nextIndex = 1;
  private lbAddress = '';
  private removed = false;

  constructor(plan: ClusterPlan, images: ClusterImages, runtime: ContainerRuntime, options: ClusterOptions) {
    this.plan = plan;
    this.images = images;
    this.runtime = runtime;
    this.options = options;
    this.now = options.clock ?? Date.now;
    this.network = networkName(plan.runId);
  }

  async create(): Promise<void> {
    const { plan } = this;
    this.log(`creating network ${this.network}`);
    await this.runtime.createNetwork(this.network, this.labels('lb'));
    this.signal?.throwIfAborted();

    if (needsDatastore(plan.architecture)) {
      this.datastore = await this.createDatastore();
    }
    if (plan.seedEvents > 0) await this.seedLedger(plan.seedEvents);
    await this.addReplicas(plan.replicas, false);
    this.lb = await this.createLoadBalancer();
    for (const replica of this.replicas()) await this.waitForLb(replica.name, 'up');
  }

  replicas(): Member[] {
    return [...this.members.values()].filter((m) => m.role === 'app').sort((a, b) => (a.index ?? 0) - (b.index ?? 0));
  }

  member(name: string): Member {
    const member = this.members.get(name);
    if (!member) {
      const known = [...this.members.keys()].join(', ');
      throw new HarnessError('E_NO_SUCH_MEMBER', `No container "${name}" in run ${this.plan.runId} (known: ${known}).`);
    }
    return member;
  }

  async addReplicas(count: number, waitForLb = true): Promise<OperationResult[]> {
    const existing = this.replicas().length;
    if (existing + count > this.plan.maxReplicas) {
      throw new HarnessError(
        'E_TOO_MANY_REPLICAS',
        `Cannot add ${count} replica(s): ${existing} exist and the load balancer has ${this.plan.maxReplicas} slots.`,
        { hint: 'Raise max-replicas in the plan.' },
      );
    }
    const indexes = Array.from({ length: count }, () => this.nextIndex++);
    return settleAll(indexes.map((index) => this.addReplica(index, waitForLb)));
  }

  private async addReplica(index: number, waitForLb: boolean): Promise<OperationResult> {
    const name = replicaName(index);
    const requestedAt = this.now();
    const phases: Record<string, Millis> = {};
    const id = await this.runtime.createContainer(this.replicaSpec(name, index));
    phases.created = this.now();
    const member: Member = { name, containerId: id, role: 'app', index, status: 'running' };
    this.members.set(name, member);
    await this.runtime.startContainer(id);
    phases.started = this.now();
    const address = await this.addressOf(member, requestedAt);
    const ready = await waitUntil(
      async () => ((await httpStatus(`http://${address}:${APP_PORT}/readyz`, 500)) === 200 ? this.now() : undefined),
      { timeoutMs: this.plan.readyTimeoutMs, intervalMs: 50, signal: this.signal, guard: () => this.assertRunning(member) },
    );
    if (ready === undefined) throw await this.neverReady(member, `/readyz did not answer 200 within ${this.plan.readyTimeoutMs} ms`);
    phases.ready = ready;
    if (waitForLb) phases.inLb = await this.waitForLb(name, 'up');
    this.log(`replica ${name} ready at ${address}`);
    return { operation: 'add-replica', target: name, containers: [id], requestedAt, completedAt: this.now(), phases };
  }

  async removeReplicas(names: readonly string[]): Promise<OperationResult[]> {
    return settleAll(
      names.map(async (name) => {
        const member = this.member(name);
        const requestedAt = this.now();
        const phases: Record<string, Millis> = {};
        await this.runtime.stopContainer(member.containerId, 10);
        member.status = 'stopped';
        phases.stopped = this.now();
        phases.outOfLb = await this.waitForLb(name, 'down');
        // Kept so the trial can still save the log of a replica that scale-in removed.
        this.retiredLogs.set(name, await this.runtime.containerLogs(member.containerId).catch(() => []));
        await this.runtime.removeContainer(member.containerId);
        phases.removed = this.now();
        this.members.delete(name);
        return { operation: 'remove-replica', target: name, containers: [member.containerId], requestedAt, completedAt: this.now(), phases };
      }),
    );
  }

  kill(name: string): Promise<OperationResult> {
    return this.operate('kill', name, 'stopped', (id) => this.runtime.killContainer(id, 'SIGKILL'));
  }

  stop(name: string): Promise<OperationResult> {
    return this.operate('stop', name, 'stopped', (id) => this.runtime.stopContainer(id, 10));
  }

  /** Restarts a running replica, or starts a killed or stopped one again, and waits until it is ready. */
  restart(name: string): Promise<OperationResult> {
    return this.operate('restart', name, 'running', async (id, phases) => {
      await this.runtime.restartContainer(id, 10);
      phases.started = this.now();
      await this.waitMemberReady(this.member(name), phases);
    });
  }

  pause(name: string): Promise<OperationResult> {
    return this.operate('pause', name, 'paused', (id) => this.runtime.pauseContainer(id));
  }

  unpause(name: string): Promise<OperationResult> {
    return this.operate('unpause', name, 'running', (id) => this.runtime.unpauseContainer(id));
  }

  disconnect(name: string): Promise<OperationResult> {
    return this.operate('disconnect', name, 'disconnected', (id) => this.runtime.disconnectNetwork(id, this.network));
  }

  reconnect(name: string): Promise<OperationResult> {
    const requestedAt = this.now();
    return this.operate('reconnect', name, 'running', async (id) => {
      await this.runtime.connectNetwork(id, this.network, this.aliasesOf(this.member(name)));
      // Docker may give it another address: record it, so the load balancer's events map to it.
      await this.addressOf(this.member(name), requestedAt);
    });
  }

  async lbServers(): Promise<LbServer[]> {
    const states = await readServersState(this.lbAddress, DEFAULT_LB_PORTS.runtimeApiPort, BACKEND);
    const readAt = this.now();
    return states.map((state) => ({
      ...state,
      replica: this.addresses.holderAt(state.address),
      readAt,
    }));
  }

  async lbRequestCounts(): Promise<Record<string, number>> {
    const counts: Record<string, number> = {};
    for (const server of await readServerStats(this.lbAddress, DEFAULT_LB_PORTS.runtimeApiPort, BACKEND)) {
      const replica = this.addresses.holderAt(server.address);
      if (replica) counts[replica] = (counts[replica] ?? 0) + server.requests;
    }
    return counts;
  }

  async waitForLb(name: string, want: 'up' | 'down', timeoutMs = 15_000): Promise<Millis> {
    // Records the replica's current address (a restart may change it) so slots map to its name.
    await this.addressOf(this.member(name)).catch(() => undefined);
    const at = await waitUntil(
      async () => {
        const servers = await this.lbServers();
        const isUp = servers.some((s) => s.replica === name && s.up);
        return isUp === (want === 'up') ? servers[0]?.readAt ?? this.now() : undefined;
      },
      { timeoutMs, intervalMs: 50, signal: this.signal },
    );
    if (at === undefined) {
      throw new HarnessError('E_LB_TIMEOUT', `The load balancer did not mark ${name} ${want} within ${timeoutMs} ms.`, {
        hint: 'See the load balancer log: `docker logs ' + containerName(this.plan.runId, LB_NAME) + '`.',
      });
    }
    return at;
  }

  async lbStateEvents(): Promise<Array<LbStateEvent & { replica: string | undefined }>> {
    const events = parseLbStateEvents(await this.runtime.containerLogs(this.lb.containerId));
    const slotAddress = new Map<string, string>();
    return events.map((event) => {
      if (event.state === 'address') slotAddress.set(event.slot, event.address ?? '');
      const address = event.state === 'address' ? event.address : slotAddress.get(event.slot);
      return { ...event, replica: this.addresses.holderAt(address, event.time) };
    });
  }

  async logs(name: string, tail?: number): Promise<LogLine[]> {
    // Kept when the container was removed: a finished job, or a replica scale-in retired.
    const kept = this.jobLogs.get(name) ?? (this.members.has(name) ? undefined : this.retiredLogs.get(name));
    if (kept) return tail === undefined ? kept : kept.slice(-tail);
    return this.runtime.containerLogs(this.member(name).containerId, tail === undefined ? {} : { tail });
  }

  retiredReplicas(): string[] {
    return [...this.retiredLogs.keys()].filter((name) => !this.members.has(name));
  }

  finishedJobs(): string[] {
    return [...this.jobLogs.keys()];
  }

  async down(): Promise<void> {
    if (this.removed) return;
    this.removed = true;
    await removeRun(this.runtime, this.plan.runId);
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await this.down();
  }

  // --- creation ------------------------------------------------------------------------------

  private async createDatastore(): Promise<Member> {
    const id = await this.runtime.createContainer({
      name: containerName(this.plan.runId, DATASTORE_NAME),
      image: this.images.base,
      labels: this.labels('datastore'),
      network: this.network,
      aliases: [DATASTORE_NAME],
      user: '65534:65534',
      // Append-only file inside the container, so a restarted data tier keeps what it had.
      cmd: ['redis-server', '--bind', '0.0.0.0', '--protected-mode', 'no', '--save', '', '--appendonly', 'yes', '--appendfsync', 'everysec', '--dir', '/tmp'],
      memoryBytes: this.plan.limits.datastore.memoryBytes,
      nanoCpus: this.plan.limits.datastore.nanoCpus,
    });
    const member: Member = { name: DATASTORE_NAME, containerId: id, role: 'datastore', status: 'running' };
    this.members.set(member.name, member);
    await this.runtime.startContainer(id);
    await this.waitMemberReady(member, {});
    return member;
  }

  private async seedLedger(events: number): Promise<void> {
    this.log(`seeding the ledger with ${events} events`);
    const { result, log } = await runSeedJob(
      this.runtime,
      {
        name: containerName(this.plan.runId, SEED_JOB_NAME),
        image: this.images.app,
        labels: this.labels('job'),
        network: this.network,
        env: { REDIS_URL: `redis://${DATASTORE_NAME}:${DATASTORE_PORT}`, REPLICA_NAME: SEED_JOB_NAME },
        cmd: seedCommand(APP_COMMAND, events),
        memoryBytes: this.plan.limits.app.memoryBytes,
        nanoCpus: this.plan.limits.app.nanoCpus,
      },
      events,
      this.signal,
    );
    this.jobLogs.set(SEED_JOB_NAME, log);
    this.seeded = result;
    this.log(`seeded ${result.events} events in ${result.durationMs} ms`);
  }

  private replicaSpec(name: string, index: number): ContainerSpec {
    return {
      name: containerName(this.plan.runId, name),
      image: this.images.app,
      labels: { ...this.labels('app'), [LABEL_REPLICA]: String(index) },
      network: this.network,
      aliases: [APP_ALIAS],
      env: replicaEnv(this.plan.appEnv, {
        REPLICA_NAME: name,
        PORT: String(APP_PORT),
        STATE_STORE: STATE_STORE[this.plan.architecture],
        REDIS_URL: needsDatastore(this.plan.architecture) ? `redis://${DATASTORE_NAME}:${DATASTORE_PORT}` : undefined,
      }),
      memoryBytes: this.plan.limits.app.memoryBytes,
      nanoCpus: this.plan.limits.app.nanoCpus,
      stopTimeoutSeconds: 10,
    };
  }

  private async createLoadBalancer(): Promise<Member> {
    const config = haproxyConfig({
      architecture: this.plan.architecture,
      maxReplicas: this.plan.maxReplicas,
      appAlias: APP_ALIAS,
      appPort: APP_PORT,
      ...DEFAULT_LB_PORTS,
      cookieKey: randomBytes(8).toString('hex'),
      checkIntervalMs: this.options.checkIntervalMs ?? 500,
    });
    const id = await this.runtime.createContainer({
      name: containerName(this.plan.runId, LB_NAME),
      image: this.images.base,
      labels: this.labels('lb'),
      network: this.network,
      user: '65534:65534',
      cmd: ['haproxy', '-W', '-db', '-f', '/etc/harness/haproxy.cfg'],
      files: { '/etc/harness/haproxy.cfg': config },
      publishOnLoopback: DEFAULT_LB_PORTS.frontendPort,
      memoryBytes: this.plan.limits.lb.memoryBytes,
      nanoCpus: this.plan.limits.lb.nanoCpus,
    });
    const member: Member = { name: LB_NAME, containerId: id, role: 'lb', status: 'running' };
    this.members.set(member.name, member);
    await this.runtime.startContainer(id);
    const info = await this.runtime.inspectContainer(id);
    const hostPort = info.publishedPorts[DEFAULT_LB_PORTS.frontendPort];
    this.lbAddress = info.addresses[this.network] ?? '';
    if (!hostPort || !this.lbAddress) throw await this.neverReady(member, 'the load balancer has no published port');
    this.lbUrl = `http://127.0.0.1:${hostPort}`;
    const answered = await waitUntil(async () => ((await this.lbServers()).length > 0 ? true : undefined), {
      timeoutMs: 10_000,
      intervalMs: 50,
      signal: this.signal,
      guard: () => this.assertRunning(member),
    });
    if (!answered) throw await this.neverReady(member, 'the runtime API did not answer within 10 s');
    return member;
  }

  // --- helpers -------------------------------------------------------------------------------

  private async operate(
    operation: string,
    name: string,
    statusAfter: MemberStatus,
    action: (containerId: string, phases: Record<string, Millis>) => Promise<void>,
  ): Promise<OperationResult> {
    const member = this.member(name);
    const requestedAt = this.now();
    const phases: Record<string, Millis> = {};
    await action(member.containerId, phases);
    member.status = statusAfter;
    const completedAt = this.now();
    phases.done = completedAt;
    return { operation, target: name, containers: [member.containerId], requestedAt, completedAt, phases };
  }

  private async waitMemberReady(member: Member, phases: Record<string, Millis>): Promise<void> {
    const address = await this.addressOf(member);
    const probe =
      member.role === 'datastore'
        ? async () => ((await redisPing(address, DATASTORE_PORT, 500)) ? this.now() : undefined)
        : async () => ((await httpStatus(`http://${address}:${APP_PORT}/readyz`, 500)) === 200 ? this.now() : undefined);
    const ready = await waitUntil(probe, {
      timeoutMs: this.plan.readyTimeoutMs,
      intervalMs: 50,
      signal: this.signal,
      guard: () => this.assertRunning(member),
    });
    if (ready === undefined) throw await this.neverReady(member, `not ready within ${this.plan.readyTimeoutMs} ms`);
    phases.ready = ready;
  }

  private async addressOf(member: Member, since = this.now()): Promise<string> {
    const info = await this.runtime.inspectContainer(member.containerId);
    const address = info.addresses[this.network];
    if (!address) throw new HarnessError('E_NO_ADDRESS', `${member.name} has no address on ${this.network}.`);
    this.addresses.record(address, member.name, since);
    return address;
  }

  private aliasesOf(member: Member): string[] {
    return member.role === 'app' ? [APP_ALIAS] : member.role === 'datastore' ? [DATASTORE_NAME] : [];
  }

  private async assertRunning(member: Member): Promise<void> {
    const info = await this.runtime.inspectContainer(member.containerId);
    if (info.state === 'exited' || info.state === 'dead') {
      throw await this.neverReady(member, `the container exited with code ${info.exitCode ?? '?'}`);
    }
  }

  private async neverReady(member: Member, why: string): Promise<HarnessError> {
    const tail = await this.runtime
      .containerLogs(member.containerId, { tail: 20 })
      .then((lines) => lines.map((l) => `  ${l.text}`).join('\n'))
      .catch(() => '  (no log)');
    return new HarnessError('E_NOT_READY', `${member.name} never became ready: ${why}. Last lines of its log:\n${tail}`, {
      hint: 'Everything this run created has been removed.',
    });
  }

  private labels(role: Role): Record<string, string> {
    return {
      [LABEL_MANAGED]: 'true',
      [LABEL_RUN]: this.plan.runId,
      [LABEL_ROLE]: role,
      [LABEL_ARCHITECTURE]: this.plan.architecture,
      [LABEL_CREATED]: new Date().toISOString(),
    };
  }

  private get signal(): AbortSignal | undefined {
    return this.options.signal;
  }

  private log(line: string): void {
    this.options.log?.(line);
  }
}

/**
 * Like Promise.all, but waits for every operation to end before rejecting, so that nothing is still
 * being created while a failed start removes what the run made.
 */
async function settleAll<T>(operations: Array<Promise<T>>): Promise<T[]> {
  const results = await Promise.allSettled(operations);
  const failed = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
  if (failed) throw failed.reason;
  return results.map((r) => (r as PromiseFulfilledResult<T>).value);
}
