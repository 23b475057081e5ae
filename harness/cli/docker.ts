import { DockerRuntime } from '../docker/docker-runtime.ts';
import type { ContainerRuntime } from '../docker/runtime.ts';

/** The runtime the commands use, checked to be reachable first so the error says what to do. */
export async function connectedRuntime(): Promise<ContainerRuntime> {
  const runtime = new DockerRuntime();
  await runtime.ping();
  return runtime;
}
