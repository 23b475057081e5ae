import { HarnessError } from '../core/errors.ts';
import { failedWith, RUNTIME_ERRORS, type ContainerRuntime } from '../docker/runtime.ts';
import type { Member } from './members.ts';

/** The member's address on a network it is on (the run's: where the harness probes it). */
export async function addressOn(runtime: ContainerRuntime, member: Member, network: string): Promise<string> {
  const info = await runtime.inspectContainer(member.containerId);
  const address = info.addresses[network];
  if (!address) throw new HarnessError('E_NO_ADDRESS', `${member.name} has no address on ${network}.`);
  return address;
}

/**
 * Joins a network; one the member is already on is fine (a heal that failed half-way, waiting for
 * readiness, is reverted again at the end of the trial).
 */
export async function enterNetwork(runtime: ContainerRuntime, member: Member, network: string, aliases: readonly string[]): Promise<void> {
  try {
    await runtime.connectNetwork(member.containerId, network, aliases);
  } catch (error) {
    if (!failedWith(error, RUNTIME_ERRORS.alreadyOnNetwork)) throw error;
  }
}

/** Leaves a network; one the member is not on (any more) is fine. */
export async function leaveNetwork(runtime: ContainerRuntime, member: Member, network: string): Promise<void> {
  try {
    await runtime.disconnectNetwork(member.containerId, network);
  } catch (error) {
    if (!failedWith(error, RUNTIME_ERRORS.notOnNetwork)) throw error;
  }
}
