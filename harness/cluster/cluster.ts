import { randomBytes } from 'node:crypto';
import { HarnessError } from '../core/errors.ts';
import { needsDatastore, type ClusterPlan } from '../plan/cluster-plan.ts';
import { DEFAULT_LB_PORTS } from '../../targets/lb/haproxy-config.ts';
import {
  datastoreSpec,
  GRACEFUL_STOP_SECONDS,
  loadBalancerSpec,
  networkSpecs,
  replicaSpec,
  seedJobSpec,
  type ClusterImages,
} from './container-specs.ts';
import type { LbCountersSnapshot } from './lb-counters.ts';
import type { LbCountersReason, MappedLbStateEvent } from './lb-observer.ts';
import { LoadBalancer, type LbServer } from './load-balancer.ts';
import { DATASTORE_NAME, LB_NAME, containerName, frontNetworkName, networkName, replicaName } from './naming.ts';
import { waitUntil } from './probes.ts';
import { loadBalancerReady, memberReady, type ReadinessCheck } from './readiness.ts';
import type { ContainerRuntime, LogLine } from '../docker/runtime.ts';
import { LbRegistry } from './lb-registry.ts';
import { Roster, type Member, type MemberStatus } from './members.ts';
import { addressOn, enterNetwork, leaveNetwork } from './networks.ts';
import { settleAll, type Millis, type OperationResult } from './operation.ts';
import { removeRun } from './teardown.ts';
import { runSeedJob, SEED_JOB_NAME, type SeedResult } from './seed-job.ts';

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
export type { LbServer } from './load-balancer.ts';
export type { Member, MemberStatus } from './members.ts';
export type { Millis, OperationResult } from './operation.ts';

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

export type { ClusterImages } from './container-specs.ts';

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
  private readonly roster: Roster;
  private readonly registry: LbRegistry;
  private readonly retiredLogs = new Map<string, LogLine[]>();
  private readonly jobLogs = new Map<string, LogLine[]>();
  private removed = false;
  private balancer: LoadBalancer | undefined;

  constructor(plan: ClusterPlan, images: ClusterImages, runtime: ContainerRuntime, options: ClusterOptions) {
    this.plan = plan;
    this.images = images;
    this.runtime = runtime;
    this.options = options;
    this.now = options.clock ?? Date.now;
    this.network = networkName(plan.runId);
    this.frontNetwork = frontNetworkName(plan.runId);
    this.roster = new Roster(plan.runId);
    this.registry = new LbRegistry(runtime, this.frontNetwork);
  }

  async create(): Promise<void> {
    const { plan } = this;
    this.log(`creating networks ${this.network} and ${this.frontNetwork}`);
    for (const network of networkSpecs(plan, new Date())) await this.runtime.createNetwork(network.name, network.labels);
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
    return this.roster.replicas();
  }

  member(name: string): Member {
    return this.roster.get(name);
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
    return settleAll(this.roster.takeIndexes(count).map((index) => this.addReplica(index, waitForLb)));
  }

  private async addReplica(index: number, waitForLb: boolean): Promise<OperationResult> {
    const name = replicaName(index);
    const requestedAt = this.now();
    const phases: Record<string, Millis> = {};
    const id = await this.runtime.createContainer(replicaSpec(this.plan, this.images, index, new Date()));
    phases.created = this.now();
    const member = this.roster.add({ name, containerId: id, role: 'app', index, status: 'running' });
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
        await this.runtime.stopContainer(member.containerId, GRACEFUL_STOP_SECONDS);
        member.status = 'stopped';
        phases.stopped = this.now();
        // The load balancer may mark it down before the stop returns (the app closes its port first).
        phases.outOfLb = await this.waitForLb(name, 'down', { since: requestedAt });
        // Kept so the trial can still save the log of a replica that scale-in removed.
        const log = await this.runtime.containerLogs(member.containerId).catch((): LogLine[] => []);
        await this.runtime.removeContainer(member.containerId);
        phases.removed = this.now();
        this.roster.delete(name);
        this.retiredLogs.set(name, log);
        return { operation: 'remove-replica', target: name, containers: [member.containerId], requestedAt, completedAt: this.now(), phases };
      }),
    );
  }

  kill(name: string): Promise<OperationResult> {
    return this.operate('kill', name, 'stopped', (id) => this.runtime.killContainer(id, 'SIGKILL'));
  }

  stop(name: string): Promise<OperationResult> {
    return this.operate('stop', name, 'stopped', (id) => this.runtime.stopContainer(id, GRACEFUL_STOP_SECONDS));
  }

  /**
   * Restarts a running replica, or starts a killed or stopped one again, and waits until it is ready
   * (and, for a replica, back in the load balancer).
   */
  restart(name: string): Promise<OperationResult> {
    return this.operate('restart', name, 'running', async (id, phases) => {
      const member = this.member(name);
      if (member.role !== 'app') {
        await this.runtime.restartContainer(id, GRACEFUL_STOP_SECONDS);
        phases.started = this.now();
        await this.waitMemberReady(member, phases);
        return;
      }
      // Docker would publish a restarting replica's alias before anything listens at its address, so
      // it leaves the load balancer's network while it is down and joins again once ready, like a new one.
      const { state } = await this.runtime.inspectContainer(id);
      if (state === 'running' || state === 'paused') await this.runtime.stopContainer(id, GRACEFUL_STOP_SECONDS);
      await this.registry.deregister(member);
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
      const leaving = [leaveNetwork(this.runtime, member, this.network)];
      if (member.role === 'app') leaving.push(this.registry.deregister(member));
      await Promise.all(leaving);
    });
  }

  /** Heals a cut: a replica joins the load balancer's network again only once it is ready. */
  reconnect(name: string): Promise<OperationResult> {
    return this.operate('reconnect', name, 'running', async (id, phases) => {
      const member = this.member(name);
      await enterNetwork(this.runtime, member, this.network, member.role === 'datastore' ? [DATASTORE_NAME] : []);
      if (member.role !== 'app') return;
      await this.readyThenJoin(member, phases);
    });
  }

  lbServers(): Promise<LbServer[]> {
    return this.running().servers();
  }

  lbRequestCounts(): Promise<Record<string, number>> {
    return this.running().requestCounts();
  }

  async waitForLb(name: string, want: 'up' | 'down', options: { timeoutMs?: number; since?: Millis } = {}): Promise<Millis> {
    return this.running().waitFor(name, want, options);
  }

  async lbStateEvents(): Promise<MappedLbStateEvent[]> {
    return this.balancer?.stateEvents() ?? [];
  }

  async snapshotLbCounters(reason: LbCountersReason): Promise<LbCountersSnapshot> {
    return this.running().snapshotCounters(reason);
  }

  lbCounterSnapshots(): LbCountersSnapshot[] {
    return this.balancer?.counterSnapshots() ?? [];
  }

  async finishLbLog(): Promise<string[]> {
    return (await this.balancer?.finishLog()) ?? [];
  }

  async logs(name: string, tail?: number): Promise<LogLine[]> {
    // Kept when the container was removed: a finished job, or a replica scale-in retired.
    const kept = this.jobLogs.get(name) ?? this.retiredLogs.get(name);
    if (kept) return tail === undefined ? kept : kept.slice(-tail);
    return this.runtime.containerLogs(this.member(name).containerId, tail === undefined ? {} : { tail });
  }

  retiredReplicas(): string[] {
    return [...this.retiredLogs.keys()];
  }

  finishedJobs(): string[] {
    return [...this.jobLogs.keys()];
  }

  async down(): Promise<void> {
    if (this.removed) return;
    this.removed = true;
    this.balancer?.stop();
    await removeRun(this.runtime, this.plan.runId);
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await this.down();
  }

  // --- creation ------------------------------------------------------------------------------

  private async createDatastore(): Promise<Member> {
    const id = await this.runtime.createContainer(datastoreSpec(this.plan, this.images, new Date()));
    const member = this.roster.add({ name: DATASTORE_NAME, containerId: id, role: 'datastore', status: 'running' });
    await this.runtime.startContainer(id);
    await this.waitMemberReady(member, {});
    return member;
  }

  private async seedLedger(events: number): Promise<void> {
    this.log(`seeding the ledger with ${events} events`);
    const { result, log } = await runSeedJob(this.runtime, seedJobSpec(this.plan, this.images, new Date()), events, this.signal);
    this.jobLogs.set(SEED_JOB_NAME, log);
    this.seeded = result;
    this.log(`seeded ${result.events} events in ${result.durationMs} ms`);
  }

  private async createLoadBalancer(): Promise<Member> {
    const { spec, config } = loadBalancerSpec(this.plan, this.images, randomBytes(8).toString('hex'), new Date());
    this.lbConfig = config;
    const id = await this.runtime.createContainer(spec);
    const member = this.roster.add({ name: LB_NAME, containerId: id, role: 'lb', status: 'running' });
    await this.runtime.startContainer(id);
    const info = await this.runtime.inspectContainer(id);
    const hostPort = info.publishedPorts[DEFAULT_LB_PORTS.frontendPort];
    const host = info.addresses[this.frontNetwork];
    if (!hostPort || !host) throw await this.neverReady(member, 'the load balancer has no published port');
    this.lbUrl = `http://127.0.0.1:${hostPort}`;
    await this.waitReady(member, host, loadBalancerReady());
    // Followed from its first line: lb.log, state changes, counters snapshots.
    this.balancer = await LoadBalancer.follow({
      containerName: containerName(this.plan.runId, LB_NAME),
      host,
      runtimeApiPort: DEFAULT_LB_PORTS.runtimeApiPort,
      addresses: this.registry.addresses,
      logPath: this.options.lbLogPath,
      signal: this.signal,
      now: this.now,
    });
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
    phases.ready = await this.waitReady(member, await addressOn(this.runtime, member, this.network), memberReady(member.role, this.plan));
  }

  /** Repeats the check at `host` until it passes; resolves with the time it did. */
  private async waitReady(member: Member, host: string, check: ReadinessCheck): Promise<Millis> {
    const ready = await waitUntil(
      async () => {
        await check.attempt(host);
        return this.now();
      },
      { timeoutMs: check.timeoutMs, intervalMs: 50, signal: this.signal, guard: () => this.assertRunning(member) },
    );
    if (ready === undefined) throw await this.neverReady(member, check.timedOut);
    return ready;
  }

  /**
   * A new, restarted or healed replica: ready first, then registered with the load balancer (its
   * network, under the alias HAProxy resolves), then, unless told not to wait, marked up by it.
   */
  private async readyThenJoin(member: Member, phases: Record<string, Millis>, waitForLb = true): Promise<void> {
    await this.waitMemberReady(member, phases);
    const joinedAt = this.now();
    await this.registry.register(member, joinedAt);
    if (waitForLb) phases.inLb = await this.waitForLb(member.name, 'up', { since: joinedAt });
  }

  private running(): LoadBalancer {
    if (!this.balancer) throw new HarnessError('E_NO_LB', 'The load balancer is not running.');
    return this.balancer;
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

  private get signal(): AbortSignal | undefined {
    return this.options.signal;
  }

  private log(line: string): void {
    this.options.log?.(line);
  }
}
