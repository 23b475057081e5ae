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
import { BACKEND, DEFAULT_LB_PORTS, FRONTEND, haproxyConfig } from '../../targets/lb/haproxy-config.ts';
import { APP_COMMAND, APP_PORT } from '../images/app-image.ts';
import { AddressBook } from './address-book.ts';
import { parseStats } from './lb-counters.ts';
import type { LbCountersSnapshot } from '../core/run-files/index.ts';
import { LbObserver, type LbCountersReason, type MappedLbStateEvent } from './lb-observer.ts';
import { readServersState, runtimeApiCommand, type LbServerState } from './lb-runtime-api.ts';
import {
  APP_ALIAS,
  DATASTORE_NAME,
  DATASTORE_PORT,
  LB_NAME,
  containerName,
  frontNetworkName,
  networkName,
  replicaName,
} from './naming.ts';
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
  clock?: () => Millis;
  /**
   * Where to write the load balancer's log, every line as HAProxy wrote it (lb.log). Without it the
   * harness keeps only the server state changes.
   */
  lbLogPath?: string;
}

export type { LbCountersReason } from './lb-observer.ts';

export interface Cluster extends AsyncDisposable {
  readonly plan: ClusterPlan;
  /** The run's network: replicas, the data tier, readiness probes. */
  readonly network: string;
  /** The load balancer's network: a replica joins it, under the alias HAProxy resolves, once ready. */
  readonly frontNetwork: string;
  /** The HAProxy configuration the load balancer runs. */
  readonly lbConfig: string;
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
  /**
   * Waits until the load balancer marks the replica up (or down: down or in maintenance) and returns
   * the load balancer's own time of that change, from its log. With `since`, the first such change
   * at or after it; without, the replica's latest change, when it is the one wanted.
   */
  waitForLb(name: string, want: 'up' | 'down', options?: { timeoutMs?: number; since?: Millis }): Promise<Millis>;
  /** State changes from the load balancer's log, at its own times, with slots mapped to replicas where known. */
  lbStateEvents(): Promise<MappedLbStateEvent[]>;
  /** Reads the load balancer's counters now and keeps the snapshot (see lbCounterSnapshots). */
  snapshotLbCounters(reason: LbCountersReason): Promise<LbCountersSnapshot>;
  /** Every snapshot taken so far, in time order: on request, and whenever a slot lost or changed its address. */
  lbCounterSnapshots(): LbCountersSnapshot[];
  /**
   * Ends the load balancer's record: a last counters snapshot, then every line its ring holds in
   * lb.log, which is closed. Returns what the record may lack, if anything.
   */
  finishLbLog(): Promise<string[]>;
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
  readonly frontNetwork: string;
  lbConfig = '';
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
  private observer: LbObserver | undefined;

  constructor(plan: ClusterPlan, images: ClusterImages, runtime: ContainerRuntime, options: ClusterOptions) {
    this.plan = plan;
    this.images = images;
    this.runtime = runtime;
    this.options = options;
    this.now = options.clock ?? Date.now;
    this.network = networkName(plan.runId);
    this.frontNetwork = frontNetworkName(plan.runId);
  }

  async create(): Promise<void> {
    const { plan } = this;
    this.log(`creating networks ${this.network} and ${this.frontNetwork}`);
    await this.runtime.createNetwork(this.network, this.labels('lb'));
    await this.runtime.createNetwork(this.frontNetwork, this.labels('lb'));
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
    await this.readyThenJoin(member, phases, waitForLb);
    this.log(`replica ${name} ready`);
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
        // The load balancer may mark it down before the stop returns (the app closes its port first).
        phases.outOfLb = await this.waitForLb(name, 'down', { since: requestedAt });
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

  /**
   * Restarts a running replica, or starts a killed or stopped one again, and waits until it is ready
   * (and, for a replica, back in the load balancer).
   */
  restart(name: string): Promise<OperationResult> {
    return this.operate('restart', name, 'running', async (id, phases) => {
      const member = this.member(name);
      if (member.role !== 'app') {
        await this.runtime.restartContainer(id, 10);
        phases.started = this.now();
        await this.waitMemberReady(member, phases);
        return;
      }
      // Docker would publish a restarting replica's alias before anything listens at its address, so
      // it leaves the load balancer's network while it is down and joins again once ready, like a new one.
      const { state } = await this.runtime.inspectContainer(id);
      if (state === 'running' || state === 'paused') await this.runtime.stopContainer(id, 10);
      await this.leave(member, this.frontNetwork);
      await this.runtime.startContainer(id);
      phases.started = this.now();
      await this.readyThenJoin(member, phases);
    });
  }

  pause(name: string): Promise<OperationResult> {
    return this.operate('pause', name, 'paused', (id) => this.runtime.pauseContainer(id));
  }

  unpause(name: string): Promise<OperationResult> {
    return this.operate('unpause', name, 'running', (id) => this.runtime.unpauseContainer(id));
  }

  /** Cuts a member off every network it is on: a replica loses the data tier and the load balancer at once. */
  disconnect(name: string): Promise<OperationResult> {
    return this.operate('disconnect', name, 'disconnected', async () => {
      const member = this.member(name);
      const networks = member.role === 'app' ? [this.network, this.frontNetwork] : [this.network];
      await Promise.all(networks.map((network) => this.leave(member, network)));
    });
  }

  /** Heals a cut: a replica joins the load balancer's network again only once it is ready. */
  reconnect(name: string): Promise<OperationResult> {
    return this.operate('reconnect', name, 'running', async (id, phases) => {
      const member = this.member(name);
      await this.enter(member, this.network, member.role === 'datastore' ? [DATASTORE_NAME] : []);
      if (member.role !== 'app') return;
      await this.readyThenJoin(member, phases);
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
    const csv = await runtimeApiCommand(this.lbAddress, DEFAULT_LB_PORTS.runtimeApiPort, 'show stat');
    for (const server of parseStats(csv, FRONTEND, BACKEND).servers) {
      const replica = this.addresses.holderAt(server.address ?? undefined);
      if (replica) counts[replica] = (counts[replica] ?? 0) + server.requests;
    }
    return counts;
  }

  async waitForLb(name: string, want: 'up' | 'down', options: { timeoutMs?: number; since?: Millis } = {}): Promise<Millis> {
    const timeoutMs = options.timeoutMs ?? 15_000;
    // The load balancer's log says when; the harness only waits for the line to arrive.
    const at = await waitUntil(async () => this.observer?.changeTime(name, want, options.since), {
      timeoutMs,
      intervalMs: 20,
      signal: this.signal,
    });
    if (at === undefined) {
      throw new HarnessError('E_LB_TIMEOUT', `The load balancer did not mark ${name} ${want} within ${timeoutMs} ms.`, {
        hint: 'See the load balancer log: `docker logs ' + containerName(this.plan.runId, LB_NAME) + '`.',
      });
    }
    return at;
  }

  async lbStateEvents(): Promise<MappedLbStateEvent[]> {
    return this.observer?.stateEvents() ?? [];
  }

  snapshotLbCounters(reason: LbCountersReason): Promise<LbCountersSnapshot> {
    if (!this.observer) return Promise.reject(new HarnessError('E_NO_LB', 'The load balancer is not running.'));
    return this.observer.snapshot(reason);
  }

  lbCounterSnapshots(): LbCountersSnapshot[] {
    return this.observer?.counterSnapshots() ?? [];
  }

  async finishLbLog(): Promise<string[]> {
    return (await this.observer?.finish()) ?? [];
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
    this.observer?.stop();
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
      // No alias here: the load balancer finds a replica only once it joins the front network (join()).
      network: this.network,
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
    this.lbConfig = haproxyConfig({
      maxReplicas: this.plan.maxReplicas,
      appAlias: APP_ALIAS,
      appPort: APP_PORT,
      ...DEFAULT_LB_PORTS,
      cookieKey: randomBytes(8).toString('hex'),
      settings: this.plan.lb,
    });
    const id = await this.runtime.createContainer({
      name: containerName(this.plan.runId, LB_NAME),
      image: this.images.base,
      labels: this.labels('lb'),
      network: this.frontNetwork,
      user: '65534:65534',
      cmd: ['haproxy', '-W', '-db', '-f', '/etc/harness/haproxy.cfg'],
      files: { '/etc/harness/haproxy.cfg': this.lbConfig },
      publishOnLoopback: DEFAULT_LB_PORTS.frontendPort,
      memoryBytes: this.plan.limits.lb.memoryBytes,
      nanoCpus: this.plan.limits.lb.nanoCpus,
    });
    const member: Member = { name: LB_NAME, containerId: id, role: 'lb', status: 'running' };
    this.members.set(member.name, member);
    await this.runtime.startContainer(id);
    const info = await this.runtime.inspectContainer(id);
    const hostPort = info.publishedPorts[DEFAULT_LB_PORTS.frontendPort];
    this.lbAddress = info.addresses[this.frontNetwork] ?? '';
    if (!hostPort || !this.lbAddress) throw await this.neverReady(member, 'the load balancer has no published port');
    this.lbUrl = `http://127.0.0.1:${hostPort}`;
    const answered = await waitUntil(async () => ((await this.lbServers()).length > 0 ? true : undefined), {
      timeoutMs: 10_000,
      intervalMs: 50,
      signal: this.signal,
      guard: () => this.assertRunning(member),
    });
    if (!answered) throw await this.neverReady(member, 'the runtime API did not answer within 10 s');
    await this.followLbLog();
    return member;
  }

  /** Follows the load balancer's log from its first line: lb.log, state changes, counters snapshots. */
  private async followLbLog(): Promise<void> {
    const observer = new LbObserver({
      host: this.lbAddress,
      port: DEFAULT_LB_PORTS.runtimeApiPort,
      ...(this.options.lbLogPath !== undefined ? { logPath: this.options.lbLogPath } : {}),
      holderAt: (address, time) => this.addresses.holderAt(address, time),
      clock: this.now,
    });
    this.observer = observer;
    await observer.start();
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
    if (ready === undefined) {
      const what = member.role === 'datastore' ? 'PING was not answered' : '/readyz did not answer 200';
      throw await this.neverReady(member, `${what} within ${this.plan.readyTimeoutMs} ms`);
    }
    phases.ready = ready;
  }

  /**
   * A new, restarted or healed replica: ready first, then registered with the load balancer (its
   * network, under the alias HAProxy resolves), then, unless told not to wait, marked up by it.
   */
  private async readyThenJoin(member: Member, phases: Record<string, Millis>, waitForLb = true): Promise<void> {
    await this.waitMemberReady(member, phases);
    const joinedAt = this.now();
    await this.join(member, joinedAt);
    if (waitForLb) phases.inLb = await this.waitForLb(member.name, 'up', { since: joinedAt });
  }

  /** The member's address on the run's network, where the harness probes it. */
  private async addressOf(member: Member): Promise<string> {
    const info = await this.runtime.inspectContainer(member.containerId);
    const address = info.addresses[this.network];
    if (!address) throw new HarnessError('E_NO_ADDRESS', `${member.name} has no address on ${this.network}.`);
    return address;
  }

  /**
   * Registers a ready replica with the load balancer, the way a service registry does: it joins the
   * front network under the alias HAProxy resolves, so its address is published only once something
   * answers there. Its address on that network is recorded, so the load balancer's slots map to it.
   */
  private async join(member: Member, since: Millis): Promise<void> {
    await this.enter(member, this.frontNetwork, [APP_ALIAS]);
    const info = await this.runtime.inspectContainer(member.containerId);
    const address = info.addresses[this.frontNetwork];
    if (!address) throw new HarnessError('E_NO_ADDRESS', `${member.name} has no address on ${this.frontNetwork}.`);
    this.addresses.record(address, member.name, since);
  }

  /**
   * Joins a network; one the member is already on is fine (a heal that failed half-way, waiting for
   * readiness, is reverted again at the end of the trial).
   */
  private async enter(member: Member, network: string, aliases: string[]): Promise<void> {
    try {
      await this.runtime.connectNetwork(member.containerId, network, aliases);
    } catch (error) {
      if (!/already exists in network/i.test(message(error))) throw error;
    }
  }

  /** Leaves a network; one the member is not on (any more) is fine. */
  private async leave(member: Member, network: string): Promise<void> {
    try {
      await this.runtime.disconnectNetwork(member.containerId, network);
    } catch (error) {
      if (!/not connected/i.test(message(error))) throw error;
    }
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

function message(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
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
