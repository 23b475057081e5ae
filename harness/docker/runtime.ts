/**
 * The narrow container interface the rest of the harness talks to. Only docker-runtime.ts knows
 * dockerode; everything else can be unit-tested against a fake of this interface.
 */
import { isHarnessError } from '../core/errors.ts';

/**
 * Codes of the HarnessErrors the runtime fails with: every engine failure names the operation and
 * the container or network (`kill harness-r1-app-2: <engine message>`). Two answers have codes of
 * their own, as callers tolerate them where joining or leaving a network twice is harmless.
 */
export const RUNTIME_ERRORS = {
  engine: 'E_DOCKER',
  alreadyOnNetwork: 'E_ALREADY_ON_NETWORK',
  notOnNetwork: 'E_NOT_ON_NETWORK',
} as const;

export function failedWith(error: unknown, code: (typeof RUNTIME_ERRORS)[keyof typeof RUNTIME_ERRORS]): boolean {
  return isHarnessError(error) && error.code === code;
}

export type Labels = Readonly<Record<string, string>>;

export interface ContainerSpec {
  name: string;
  image: string;
  labels: Labels;
  env?: Readonly<Record<string, string>>;
  cmd?: readonly string[];
  user?: string;
  network: string;
  /** DNS names other containers on the network use for this one (e.g. `app` for every replica). */
  aliases?: readonly string[];
  /** Publish a container port on 127.0.0.1 at a port Docker chooses. */
  publishOnLoopback?: number;
  memoryBytes: number;
  nanoCpus: number;
  /** Files written into the container before it starts (path → content). */
  files?: Readonly<Record<string, string>>;
  /** Seconds Docker waits after SIGTERM before SIGKILL on stop. */
  stopTimeoutSeconds?: number;
  /** Kernel settings of the container's own network namespace (`net.*` only). */
  sysctls?: Readonly<Record<string, string>>;
}

export interface ContainerInfo {
  id: string;
  name: string;
  labels: Labels;
  state: 'created' | 'running' | 'paused' | 'restarting' | 'removing' | 'exited' | 'dead';
  /** The container's address on each network it is attached to. */
  addresses: Readonly<Record<string, string>>;
  /** Host port on 127.0.0.1 for each published container port. */
  publishedPorts: Readonly<Record<number, number>>;
  exitCode: number | undefined;
  startedAt: string | undefined;
}

export interface NetworkInfo {
  id: string;
  name: string;
  labels: Labels;
}

export interface LogLine {
  /** Docker's receive time of the line, RFC 3339 with nanoseconds. */
  timestamp: string;
  stream: 'stdout' | 'stderr';
  text: string;
}

export interface ImageInfo {
  id: string;
  tags: readonly string[];
  labels: Labels;
}

export interface ContainerRuntime {
  ping(): Promise<void>;
  version(): Promise<string>;

  createNetwork(name: string, labels: Labels): Promise<NetworkInfo>;
  removeNetwork(id: string): Promise<void>;
  listNetworks(labelFilter: Labels): Promise<NetworkInfo[]>;

  createContainer(spec: ContainerSpec): Promise<string>;
  startContainer(id: string): Promise<void>;
  /** Sends a signal (SIGKILL unless another is named). */
  killContainer(id: string, signal?: string): Promise<void>;
  /** Graceful stop: SIGTERM, then SIGKILL after timeoutSeconds. */
  stopContainer(id: string, timeoutSeconds: number): Promise<void>;
  restartContainer(id: string, timeoutSeconds: number): Promise<void>;
  pauseContainer(id: string): Promise<void>;
  unpauseContainer(id: string): Promise<void>;
  /** Fails with RUNTIME_ERRORS.alreadyOnNetwork when the container is on that network already. */
  connectNetwork(containerId: string, network: string, aliases: readonly string[]): Promise<void>;
  /** Fails with RUNTIME_ERRORS.notOnNetwork when the container is not on that network. */
  disconnectNetwork(containerId: string, network: string): Promise<void>;
  /** Removes the container (forcefully) and its anonymous volumes. Missing containers are fine. */
  removeContainer(id: string): Promise<void>;
  inspectContainer(id: string): Promise<ContainerInfo>;
  listContainers(labelFilter: Labels): Promise<ContainerInfo[]>;
  containerLogs(id: string, options?: { tail?: number; since?: number }): Promise<LogLine[]>;
  listVolumes(labelFilter: Labels): Promise<{ name: string }[]>;
  removeVolume(name: string): Promise<void>;

  findImage(tag: string): Promise<ImageInfo | undefined>;
  /** Imports a root file system tarball as an image (`docker import`). */
  importImage(tarPath: string, tag: string, labels: Labels, config: readonly string[]): Promise<void>;
  /** Builds an image from a directory holding a Dockerfile (no registry access needed). */
  buildImage(contextDir: string, tag: string, labels: Labels): Promise<void>;
}
