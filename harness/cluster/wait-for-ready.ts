/**
 * Waits until a started container passes its readiness check (readiness.ts). One that exits
 * meanwhile, or never passes, fails with E_NOT_READY and the end of its log.
 */
import { HarnessError } from '../core/errors.ts';
import type { ContainerRuntime } from '../docker/runtime.ts';
import type { ClusterContext } from './cluster-context.ts';
import type { Member } from './members.ts';
import { addressOn } from './networks.ts';
import type { Millis } from './operation.ts';
import { waitUntil } from './probes.ts';
import type { ReadinessCheck } from './readiness.ts';

/** A replica or the data tier, probed at its address on the run's network; resolves with the time it was ready. */
export async function waitForMember(context: ClusterContext, member: Member, check: ReadinessCheck): Promise<Millis> {
  return waitForReady(context, member, await addressOn(context.runtime, member, context.network), check);
}

/** Repeats the check at `host` until it passes; resolves with the time it did. */
export async function waitForReady(context: ClusterContext, member: Member, host: string, check: ReadinessCheck): Promise<Millis> {
  const { runtime, now } = context;
  const ready = await waitUntil(
    async () => {
      await check.attempt(host);
      return now();
    },
    {
      timeoutMs: check.timeoutMs,
      intervalMs: 50,
      signal: context.signal,
      guard: () => assertRunning(runtime, member),
    },
  );
  if (ready === undefined) throw await notReadyError(runtime, member, check.timedOut);
  return ready;
}

async function assertRunning(runtime: ContainerRuntime, member: Member): Promise<void> {
  const info = await runtime.inspectContainer(member.containerId);
  if (info.state === 'exited' || info.state === 'dead') {
    throw await notReadyError(runtime, member, `the container exited with code ${info.exitCode ?? '?'}`);
  }
}

export async function notReadyError(runtime: ContainerRuntime, member: Member, why: string): Promise<HarnessError> {
  const tail = await runtime
    .containerLogs(member.containerId, { tail: 20 })
    .then((lines) => lines.map((l) => `  ${l.text}`).join('\n'))
    .catch(() => '  (no log)');
  return new HarnessError('E_NOT_READY', `${member.name} never became ready: ${why}. Last lines of its log:\n${tail}`, {
    hint: 'Everything this run created has been removed.',
  });
}
