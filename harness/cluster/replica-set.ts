import { HarnessError } from '../core/errors.ts';
import type { LogLine } from '../docker/runtime.ts';
import type { ClusterContext } from './cluster-context.ts';
import { GRACEFUL_STOP_SECONDS, replicaSpec } from './container-specs.ts';
import type { LbRegistry } from './lb-registry.ts';
import type { LoadBalancer } from './load-balancer.ts';
import type { Member, Roster } from './members.ts';
import { replicaName } from './naming.ts';
import { settleAll, type Millis, type OperationResult } from './operation.ts';
import type { ReadinessCheck } from './readiness.ts';
import { waitForMember } from './wait-for-ready.ts';

/**
 * Replicas coming and going: new ones and ones back from a fault are brought into service alike —
 * ready first, then registered with the load balancer, then marked up by it (without a load
 * balancer, for the first replicas, which start before it, that last step is the caller's); scale-in
 * stops and removes them, keeping their logs.
 */
export class ReplicaSet {
  private readonly context: ClusterContext;
  private readonly roster: Roster;
  private readonly registry: LbRegistry;
  private readonly readiness: ReadinessCheck;
  /** Kept so the trial can still save the log of a replica that scale-in removed. */
  private readonly retiredLogs = new Map<string, LogLine[]>();

  constructor(context: ClusterContext, roster: Roster, registry: LbRegistry, readiness: ReadinessCheck) {
    this.context = context;
    this.roster = roster;
    this.registry = registry;
    this.readiness = readiness;
  }

  async add(count: number, lb: LoadBalancer | undefined): Promise<OperationResult[]> {
    const { maxReplicas } = this.context.plan;
    const existing = this.roster.replicas().length;
    if (existing + count > maxReplicas) {
      throw new HarnessError(
        'E_TOO_MANY_REPLICAS',
        `Cannot add ${count} replica(s): ${existing} exist and the load balancer has ${maxReplicas} slots.`,
        { hint: 'Raise max-replicas in the plan.' },
      );
    }
    return settleAll(this.roster.takeIndexes(count).map((index) => this.start(index, lb)));
  }

  async remove(names: readonly string[], lb: LoadBalancer): Promise<OperationResult[]> {
    return settleAll(names.map((name) => this.retire(name, lb)));
  }

  /** Replicas scale-in removed, whose logs are kept. */
  retired(): string[] {
    return [...this.retiredLogs.keys()];
  }

  retiredLog(name: string): LogLine[] | undefined {
    return this.retiredLogs.get(name);
  }

  /**
   * Starts a replica again, stopping it first when it runs. Docker would publish a restarting
   * replica's alias before anything listens at its address, so it leaves the load balancer's network
   * while it is down and joins again once ready, like a new one.
   */
  async restart(member: Member, phases: Record<string, Millis>, lb: LoadBalancer): Promise<void> {
    const { runtime, now } = this.context;
    const { state } = await runtime.inspectContainer(member.containerId);
    if (state === 'running' || state === 'paused') await runtime.stopContainer(member.containerId, GRACEFUL_STOP_SECONDS);
    await this.registry.deregister(member);
    await runtime.startContainer(member.containerId);
    phases.started = now();
    await this.readyThenJoin(member, phases, lb);
  }

  /** A started replica: ready, registered with the load balancer, and (given one) marked up by it. */
  async readyThenJoin(member: Member, phases: Record<string, Millis>, lb: LoadBalancer | undefined): Promise<void> {
    phases.ready = await waitForMember(this.context, member, this.readiness);
    const joinedAt = this.context.now();
    await this.registry.register(member, joinedAt);
    if (lb) phases.inLb = await lb.waitFor(member.name, 'up', { since: joinedAt });
  }

  private async start(index: number, lb: LoadBalancer | undefined): Promise<OperationResult> {
    const { runtime, plan, images, now } = this.context;
    const name = replicaName(index);
    const requestedAt = now();
    const phases: Record<string, Millis> = {};
    const id = await runtime.createContainer(replicaSpec(plan, images, index, new Date()));
    phases.created = now();
    const member = this.roster.add({ name, containerId: id, role: 'app', index, status: 'running' });
    await runtime.startContainer(id);
    phases.started = now();
    await this.readyThenJoin(member, phases, lb);
    this.context.log(`replica ${name} ready`);
    return { operation: 'add-replica', target: name, containers: [id], requestedAt, completedAt: now(), phases };
  }

  private async retire(name: string, lb: LoadBalancer): Promise<OperationResult> {
    const { runtime, now } = this.context;
    const member = this.roster.get(name);
    const requestedAt = now();
    const phases: Record<string, Millis> = {};
    await runtime.stopContainer(member.containerId, GRACEFUL_STOP_SECONDS);
    member.status = 'stopped';
    phases.stopped = now();
    // The load balancer may mark it down before the stop returns (the app closes its port first).
    phases.outOfLb = await lb.waitFor(name, 'down', { since: requestedAt });
    const log = await runtime.containerLogs(member.containerId).catch((): LogLine[] => []);
    await runtime.removeContainer(member.containerId);
    phases.removed = now();
    this.roster.delete(name);
    this.retiredLogs.set(name, log);
    return { operation: 'remove-replica', target: name, containers: [member.containerId], requestedAt, completedAt: now(), phases };
  }
}
