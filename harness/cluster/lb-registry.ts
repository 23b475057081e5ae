import type { ContainerRuntime } from '../docker/runtime.ts';
import { AddressBook } from './address-book.ts';
import type { Member } from './members.ts';
import { APP_ALIAS } from './naming.ts';
import { addressOn, enterNetwork, leaveNetwork } from './networks.ts';
import type { Millis } from './operation.ts';

/**
 * Registers ready replicas with the load balancer, the way a service registry does: a replica joins
 * the front network under the alias HAProxy resolves, so its address is published only once
 * something answers there. Its address on that network is recorded, so the load balancer's slots
 * map to it.
 */
export class LbRegistry {
  /** Every address a replica has had, so slots seen in old log lines still map to a name. */
  readonly addresses = new AddressBook();
  private readonly runtime: ContainerRuntime;
  private readonly frontNetwork: string;

  constructor(runtime: ContainerRuntime, frontNetwork: string) {
    this.runtime = runtime;
    this.frontNetwork = frontNetwork;
  }

  async register(member: Member, since: Millis): Promise<void> {
    await enterNetwork(this.runtime, member, this.frontNetwork, [APP_ALIAS]);
    this.addresses.record(await addressOn(this.runtime, member, this.frontNetwork), member.name, since);
  }

  /** Takes a replica out: it leaves the front network (one it is not on is fine). */
  async deregister(member: Member): Promise<void> {
    await leaveNetwork(this.runtime, member, this.frontNetwork);
  }
}
