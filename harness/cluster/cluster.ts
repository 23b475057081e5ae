import type { ContainerRuntime, LogLine } from '../docker/runtime.ts';
import type { ClusterPlan } from '../plan/cluster-plan.ts';
import { bringUp, type ClusterParts } from './bring-up.ts';
import type { ClusterContext, ClusterOptions } from './cluster-context.ts';
import { GRACEFUL_STOP_SECONDS, type ClusterImages } from './container-specs.ts';
import type { LbCountersSnapshot } from '../core/run-files/index.ts';
import type { LbCountersReason, MappedLbStateEvent } from './lb-observer.ts';
import type { LbRegistry } from './lb-registry.ts';
import type { LbServer, LoadBalancer } from './load-balancer.ts';
import type { Member, MemberStatus, Roster } from './members.ts';
import { DATASTORE_NAME } from './naming.ts';
import { enterNetwork, leaveNetwork } from './networks.ts';
import type { Millis, OperationResult } from './operation.ts';
import { memberReady } from './readiness.ts';
import type { ReplicaSet } from './replica-set.ts';
import { SEED_JOB_NAME, type SeedResult } from './seed-job.ts';
import { removeRun } from './teardown.ts';
import { waitForMember } from './wait-for-ready.ts';

export type { ClusterOptions } from './cluster-context.ts';
export type { ClusterImages } from './container-specs.ts';
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

/** Starts the planned cluster (bring-up.ts) and returns it once every replica is in the load balancer. */
export async function startCluster(
  plan: ClusterPlan,
  images: ClusterImages,
  runtime: ContainerRuntime,
  options: ClusterOptions = {},
): Promise<Cluster> {
  return new DockerCluster(await bringUp(plan, images, runtime, options));
}

class DockerCluster implements Cluster {
  readonly plan: ClusterPlan;
  readonly network: string;
  readonly frontNetwork: string;
  readonly lbConfig: string;
  readonly lbUrl: string;
  readonly lb: Member;
  readonly datastore: Member | undefined;
  readonly seeded: SeedResult | undefined;

  private readonly context: ClusterContext;
  private readonly roster: Roster;
  private readonly registry: LbRegistry;
  private readonly replicaSet: ReplicaSet;
  private readonly balancer: LoadBalancer;
  /** Logs of one-shot jobs (the seed), kept since their containers are gone. */
  private readonly jobLogs = new Map<string, LogLine[]>();
  private removed = false;

  constructor(parts: ClusterParts) {
    this.context = parts.context;
    this.plan = parts.context.plan;
    this.network = parts.context.network;
    this.frontNetwork = parts.context.frontNetwork;
    this.roster = parts.roster;
    this.registry = parts.registry;
    this.replicaSet = parts.replicaSet;
    this.balancer = parts.lb.balancer;
    this.lb = parts.lb.member;
    this.lbUrl = parts.lb.url;
    this.lbConfig = parts.lb.config;
    this.datastore = parts.datastore;
    this.seeded = parts.seed?.result;
    if (parts.seed) this.jobLogs.set(SEED_JOB_NAME, parts.seed.log);
  }

  replicas(): Member[] {
    return this.roster.replicas();
  }

  member(name: string): Member {
    return this.roster.get(name);
  }

  addReplicas(count: number): Promise<OperationResult[]> {
    return this.replicaSet.add(count, this.balancer);
  }

  removeReplicas(names: readonly string[]): Promise<OperationResult[]> {
    return this.replicaSet.remove(names, this.balancer);
  }

  kill(name: string): Promise<OperationResult> {
    return this.operate('kill', name, 'stopped', (member) => this.context.runtime.killContainer(member.containerId, 'SIGKILL'));
  }

  stop(name: string): Promise<OperationResult> {
    return this.operate('stop', name, 'stopped', (member) => this.context.runtime.stopContainer(member.containerId, GRACEFUL_STOP_SECONDS));
  }

  /**
   * Restarts a running replica, or starts a killed or stopped one again, and waits until it is ready
   * (and, for a replica, back in the load balancer).
   */
  restart(name: string): Promise<OperationResult> {
    const { runtime, now } = this.context;
    return this.operate('restart', name, 'running', async (member, phases) => {
      if (member.role === 'app') return this.replicaSet.restart(member, phases, this.balancer);
      await runtime.restartContainer(member.containerId, GRACEFUL_STOP_SECONDS);
      phases.started = now();
      phases.ready = await waitForMember(this.context, member, memberReady(member.role, this.plan));
    });
  }

  pause(name: string): Promise<OperationResult> {
    return this.operate('pause', name, 'paused', (member) => this.context.runtime.pauseContainer(member.containerId));
  }

  unpause(name: string): Promise<OperationResult> {
    return this.operate('unpause', name, 'running', (member) => this.context.runtime.unpauseContainer(member.containerId));
  }

  /** Cuts a member off every network it is on: a replica loses the data tier and the load balancer at once. */
  disconnect(name: string): Promise<OperationResult> {
    return this.operate('disconnect', name, 'disconnected', async (member) => {
      const leaving = [leaveNetwork(this.context.runtime, member, this.network)];
      if (member.role === 'app') leaving.push(this.registry.deregister(member));
      await Promise.all(leaving);
    });
  }

  /** Heals a cut: a replica joins the load balancer's network again only once it is ready. */
  reconnect(name: string): Promise<OperationResult> {
    return this.operate('reconnect', name, 'running', async (member, phases) => {
      await enterNetwork(this.context.runtime, member, this.network, member.role === 'datastore' ? [DATASTORE_NAME] : []);
      if (member.role !== 'app') return;
      await this.replicaSet.readyThenJoin(member, phases, this.balancer);
    });
  }

  lbServers(): Promise<LbServer[]> {
    return this.balancer.servers();
  }

  lbRequestCounts(): Promise<Record<string, number>> {
    return this.balancer.requestCounts();
  }

  waitForLb(name: string, want: 'up' | 'down', options: { timeoutMs?: number; since?: Millis } = {}): Promise<Millis> {
    return this.balancer.waitFor(name, want, options);
  }

  async lbStateEvents(): Promise<MappedLbStateEvent[]> {
    return this.balancer.stateEvents();
  }

  snapshotLbCounters(reason: LbCountersReason): Promise<LbCountersSnapshot> {
    return this.balancer.snapshotCounters(reason);
  }

  lbCounterSnapshots(): LbCountersSnapshot[] {
    return this.balancer.counterSnapshots();
  }

  finishLbLog(): Promise<string[]> {
    return this.balancer.finishLog();
  }

  async logs(name: string, tail?: number): Promise<LogLine[]> {
    // Kept when the container was removed: a finished job, or a replica scale-in retired.
    const kept = this.jobLogs.get(name) ?? this.replicaSet.retiredLog(name);
    if (kept) return tail === undefined ? kept : kept.slice(-tail);
    return this.context.runtime.containerLogs(this.member(name).containerId, tail === undefined ? {} : { tail });
  }

  retiredReplicas(): string[] {
    return this.replicaSet.retired();
  }

  finishedJobs(): string[] {
    return [...this.jobLogs.keys()];
  }

  async down(): Promise<void> {
    if (this.removed) return;
    this.removed = true;
    this.balancer.stop();
    await removeRun(this.context.runtime, this.plan.runId);
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await this.down();
  }

  /** One operation on one member, timed: `done` when it returned, whatever phases it recorded on the way. */
  private async operate(
    operation: string,
    name: string,
    statusAfter: MemberStatus,
    action: (member: Member, phases: Record<string, Millis>) => Promise<void>,
  ): Promise<OperationResult> {
    const member = this.member(name);
    const requestedAt = this.context.now();
    const phases: Record<string, Millis> = {};
    await action(member, phases);
    member.status = statusAfter;
    const completedAt = this.context.now();
    phases.done = completedAt;
    return { operation, target: name, containers: [member.containerId], requestedAt, completedAt, phases };
  }
}
