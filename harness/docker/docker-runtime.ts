import { createReadStream } from 'node:fs';
import Docker from 'dockerode';
import tar from 'tar-stream';
import { HarnessError } from '../core/errors.ts';
import {
  RUNTIME_ERRORS,
  type ContainerInfo,
  type ContainerRuntime,
  type ContainerSpec,
  type ImageInfo,
  type Labels,
  type LogLine,
  type NetworkInfo,
} from './runtime.ts';

/**
 * The only module that knows dockerode. Every failure of the engine becomes a HarnessError that
 * names the operation and the container or network, with the engine's own message.
 */
export class DockerRuntime implements ContainerRuntime {
  private readonly docker: Docker;
  /** Names of the containers and networks created or seen here, by id: errors name what people know. */
  private readonly names = new Map<string, string>();

  constructor(docker: Docker = new Docker()) {
    this.docker = docker;
  }

  async ping(): Promise<void> {
    try {
      await this.docker.ping();
    } catch (error) {
      throw dockerUnreachable(error);
    }
  }

  async version(): Promise<string> {
    const version = await this.engine('read the engine version', () => this.docker.version());
    return version.Version;
  }

  async createNetwork(name: string, labels: Labels): Promise<NetworkInfo> {
    const network = await this.engine(`create network ${name}`, () =>
      this.docker.createNetwork({
        Name: name,
        Driver: 'bridge',
        CheckDuplicate: true,
        Labels: { ...labels },
      }),
    );
    this.names.set(network.id, name);
    return { id: network.id, name, labels };
  }

  async removeNetwork(id: string): Promise<void> {
    await this.engine(`remove network ${this.nameOf(id)}`, () => ignoreMissing(this.docker.getNetwork(id).remove()));
  }

  async listNetworks(labelFilter: Labels): Promise<NetworkInfo[]> {
    const networks = await this.engine('list networks', () => this.docker.listNetworks({ filters: { label: labelFilters(labelFilter) } }));
    for (const n of networks) this.names.set(n.Id, n.Name);
    return networks.map((n) => ({ id: n.Id, name: n.Name, labels: n.Labels ?? {} }));
  }

  async createContainer(spec: ContainerSpec): Promise<string> {
    const container = await this.engine(`create ${spec.name}`, () => this.docker.createContainer(createOptions(spec)));
    this.names.set(container.id, spec.name);
    if (spec.files && Object.keys(spec.files).length > 0) {
      const files = spec.files;
      await this.engine(`copy files into ${spec.name}`, async () => container.putArchive(await tarOf(files), { path: '/' }));
    }
    return container.id;
  }

  async startContainer(id: string): Promise<void> {
    await this.engine(`start ${this.nameOf(id)}`, () => this.docker.getContainer(id).start());
  }

  async killContainer(id: string, signal = 'SIGKILL'): Promise<void> {
    await this.engine(`kill ${this.nameOf(id)}`, () => this.docker.getContainer(id).kill({ signal }));
  }

  async stopContainer(id: string, timeoutSeconds: number): Promise<void> {
    await this.engine(`stop ${this.nameOf(id)}`, () => ignoreNotModified(this.docker.getContainer(id).stop({ t: timeoutSeconds })));
  }

  async restartContainer(id: string, timeoutSeconds: number): Promise<void> {
    await this.engine(`restart ${this.nameOf(id)}`, () => this.docker.getContainer(id).restart({ t: timeoutSeconds }));
  }

  async pauseContainer(id: string): Promise<void> {
    await this.engine(`pause ${this.nameOf(id)}`, () => this.docker.getContainer(id).pause());
  }

  async unpauseContainer(id: string): Promise<void> {
    await this.engine(`unpause ${this.nameOf(id)}`, () => this.docker.getContainer(id).unpause());
  }

  async connectNetwork(containerId: string, network: string, aliases: readonly string[]): Promise<void> {
    await this.engine(
      `connect ${this.nameOf(containerId)} to ${network}`,
      () => this.docker.getNetwork(network).connect({ Container: containerId, EndpointConfig: { Aliases: [...aliases] } }),
      ALREADY_ON_NETWORK,
    );
  }

  async disconnectNetwork(containerId: string, network: string): Promise<void> {
    await this.engine(
      `disconnect ${this.nameOf(containerId)} from ${network}`,
      () => this.docker.getNetwork(network).disconnect({ Container: containerId, Force: true }),
      NOT_ON_NETWORK,
    );
  }

  async removeContainer(id: string): Promise<void> {
    await this.engine(`remove ${this.nameOf(id)}`, () => ignoreMissing(this.docker.getContainer(id).remove({ force: true, v: true })));
  }

  async inspectContainer(id: string): Promise<ContainerInfo> {
    const info = await this.engine(`inspect ${this.nameOf(id)}`, () => this.docker.getContainer(id).inspect());
    const addresses: Record<string, string> = {};
    for (const [name, endpoint] of Object.entries(info.NetworkSettings.Networks ?? {})) {
      if (endpoint.IPAddress) addresses[name] = endpoint.IPAddress;
    }
    const publishedPorts: Record<number, number> = {};
    for (const [key, bindings] of Object.entries(info.NetworkSettings.Ports ?? {})) {
      const hostPort = bindings?.[0]?.HostPort;
      if (hostPort) publishedPorts[Number.parseInt(key, 10)] = Number.parseInt(hostPort, 10);
    }
    const name = info.Name.replace(/^\//, '');
    this.names.set(info.Id, name);
    return {
      id: info.Id,
      name,
      labels: info.Config.Labels ?? {},
      state: info.State.Status as ContainerInfo['state'],
      addresses,
      publishedPorts,
      exitCode: info.State.Running ? undefined : info.State.ExitCode,
      startedAt: info.State.StartedAt,
    };
  }

  async listContainers(labelFilter: Labels): Promise<ContainerInfo[]> {
    const containers = await this.engine('list containers', () =>
      this.docker.listContainers({
        all: true,
        filters: { label: labelFilters(labelFilter) },
      }),
    );
    return containers.map((c) => {
      const addresses: Record<string, string> = {};
      for (const [name, endpoint] of Object.entries(c.NetworkSettings?.Networks ?? {})) {
        if (endpoint.IPAddress) addresses[name] = endpoint.IPAddress;
      }
      const publishedPorts: Record<number, number> = {};
      for (const port of c.Ports ?? []) {
        if (port.PublicPort) publishedPorts[port.PrivatePort] = port.PublicPort;
      }
      const name = (c.Names?.[0] ?? c.Id).replace(/^\//, '');
      this.names.set(c.Id, name);
      return {
        id: c.Id,
        name,
        labels: c.Labels ?? {},
        state: c.State as ContainerInfo['state'],
        addresses,
        publishedPorts,
        exitCode: undefined,
        startedAt: undefined,
      };
    });
  }

  async containerLogs(id: string, options: { tail?: number; since?: number } = {}): Promise<LogLine[]> {
    const buffer = (await this.engine(`read the log of ${this.nameOf(id)}`, () =>
      this.docker.getContainer(id).logs({
        stdout: true,
        stderr: true,
        timestamps: true,
        follow: false,
        ...(options.tail !== undefined ? { tail: options.tail } : {}),
        ...(options.since !== undefined ? { since: options.since } : {}),
      }),
    )) as unknown as Buffer;
    return demuxLogs(buffer);
  }

  async listVolumes(labelFilter: Labels): Promise<{ name: string }[]> {
    const result = await this.engine('list volumes', () => this.docker.listVolumes({ filters: { label: labelFilters(labelFilter) } }));
    return (result.Volumes ?? []).map((v) => ({ name: v.Name }));
  }

  async removeVolume(name: string): Promise<void> {
    await this.engine(`remove volume ${name}`, () => ignoreMissing(this.docker.getVolume(name).remove()));
  }

  async findImage(tag: string): Promise<ImageInfo | undefined> {
    const info = await this.engine(`inspect image ${tag}`, async () => {
      try {
        return await this.docker.getImage(tag).inspect();
      } catch (error) {
        if (statusOf(error) === 404) return undefined;
        throw error;
      }
    });
    return info && { id: info.Id, tags: info.RepoTags ?? [], labels: info.Config?.Labels ?? {} };
  }

  async importImage(tarPath: string, tag: string, labels: Labels, config: readonly string[]): Promise<void> {
    const [repo, version] = splitTag(tag);
    const changes = [...Object.entries(labels).map(([k, v]) => `LABEL ${k}=${JSON.stringify(v)}`), ...config];
    const stream = await this.engine(`import image ${tag}`, () => this.docker.importImage(createReadStream(tarPath), { repo, tag: version, changes }));
    await followProgress(this.docker, stream as NodeJS.ReadableStream, `import of ${tag}`);
  }

  async buildImage(contextDir: string, tag: string, labels: Labels): Promise<void> {
    const stream = await this.engine(`build image ${tag}`, () =>
      this.docker.buildImage(
        { context: contextDir, src: ['Dockerfile', '.'] },
        { t: tag, labels: { ...labels }, rm: true, forcerm: true, pull: false },
      ),
    );
    await followProgress(this.docker, stream, `build of ${tag}`);
  }

  /** The container's or network's name, when known here; its id otherwise. */
  private nameOf(id: string): string {
    return this.names.get(id) ?? id;
  }

  /** Runs one engine call; its failure becomes a HarnessError saying what failed (see RUNTIME_ERRORS). */
  private async engine<T>(operation: string, call: () => Promise<T>, tolerable?: KnownAnswer): Promise<T> {
    try {
      return await call();
    } catch (error) {
      throw engineError(operation, error, tolerable);
    }
  }
}

/** An answer of the engine a caller may tolerate, recognised by its words (the engine gives it no code). */
interface KnownAnswer {
  code: string;
  words: RegExp;
}

const ALREADY_ON_NETWORK: KnownAnswer = { code: RUNTIME_ERRORS.alreadyOnNetwork, words: /already exists in network/i };
const NOT_ON_NETWORK: KnownAnswer = { code: RUNTIME_ERRORS.notOnNetwork, words: /not connected/i };

/** `<operation>: <the engine's message>`, the engine's error kept as the cause. */
function engineError(operation: string, cause: unknown, tolerable?: KnownAnswer): HarnessError {
  const said = engineMessage(cause);
  const code = tolerable?.words.test(said) ? tolerable.code : RUNTIME_ERRORS.engine;
  return new HarnessError(code, `${operation}: ${said}`, { cause });
}

/** The engine's own words: docker-modem puts them in `json.message`, behind an `(HTTP code …)` prefix in the message. */
function engineMessage(error: unknown): string {
  const json = typeof error === 'object' && error !== null && 'json' in error ? (error as { json: unknown }).json : undefined;
  const said = typeof json === 'object' && json !== null && 'message' in json ? (json as { message: unknown }).message : undefined;
  if (typeof said === 'string' && said !== '') return said.trim();
  return (error instanceof Error ? error.message : String(error)).trim();
}

function createOptions(spec: ContainerSpec): Docker.ContainerCreateOptions {
  const port = spec.publishOnLoopback;
  return {
    name: spec.name,
    Image: spec.image,
    Labels: { ...spec.labels },
    Env: Object.entries(spec.env ?? {}).map(([key, value]) => `${key}=${value}`),
    ...(spec.cmd ? { Cmd: [...spec.cmd] } : {}),
    ...(spec.user ? { User: spec.user } : {}),
    ...(spec.stopTimeoutSeconds !== undefined ? { StopTimeout: spec.stopTimeoutSeconds } : {}),
    ...(port ? { ExposedPorts: { [`${port}/tcp`]: {} } } : {}),
    HostConfig: {
      NetworkMode: spec.network,
      Memory: spec.memoryBytes,
      MemorySwap: spec.memoryBytes,
      NanoCpus: spec.nanoCpus,
      Privileged: false,
      CapDrop: ['ALL'],
      SecurityOpt: ['no-new-privileges'],
      PidsLimit: 256,
      ...(spec.sysctls ? { Sysctls: { ...spec.sysctls } } : {}),
      // Only loopback: load traffic must never leave this machine.
      ...(port ? { PortBindings: { [`${port}/tcp`]: [{ HostIp: '127.0.0.1', HostPort: '' }] } } : {}),
    },
    NetworkingConfig: {
      EndpointsConfig: { [spec.network]: { Aliases: [...(spec.aliases ?? [])] } },
    },
  };
}

function labelFilters(labels: Labels): string[] {
  return Object.entries(labels).map(([key, value]) => `${key}=${value}`);
}

function splitTag(tag: string): [string, string] {
  const colon = tag.lastIndexOf(':');
  return colon > 0 ? [tag.slice(0, colon), tag.slice(colon + 1)] : [tag, 'latest'];
}

function statusOf(error: unknown): number | undefined {
  return typeof error === 'object' && error !== null && 'statusCode' in error
    ? Number((error as { statusCode: unknown }).statusCode)
    : undefined;
}

async function ignoreMissing(operation: Promise<unknown>): Promise<void> {
  try {
    await operation;
  } catch (error) {
    if (statusOf(error) !== 404) throw error;
  }
}

async function ignoreNotModified(operation: Promise<unknown>): Promise<void> {
  try {
    await operation;
  } catch (error) {
    if (statusOf(error) !== 304) throw error;
  }
}

function followProgress(docker: Docker, stream: NodeJS.ReadableStream, what: string): Promise<void> {
  return new Promise((resolve, reject) => {
    docker.modem.followProgress(stream, (error: Error | null, events: Array<{ error?: string }>) => {
      const failed = error?.message ?? events.find((e) => e.error)?.error;
      if (failed) reject(new HarnessError('E_IMAGE', `Docker ${what} failed: ${failed}`));
      else resolve();
    });
  });
}

function tarOf(files: Readonly<Record<string, string>>): Promise<Buffer> {
  const pack = tar.pack();
  for (const [path, content] of Object.entries(files)) {
    pack.entry({ name: path.replace(/^\//, ''), mode: 0o644 }, content);
  }
  pack.finalize();
  const chunks: Buffer[] = [];
  return new Promise((resolve, reject) => {
    pack.on('data', (chunk: unknown) => {
      chunks.push(chunk as Buffer);
    });
    pack.on('end', () => resolve(Buffer.concat(chunks)));
    pack.on('error', reject);
  });
}

/** Docker multiplexes stdout/stderr of a non-TTY container in 8-byte-header frames. */
export function demuxLogs(buffer: Buffer): LogLine[] {
  const lines: LogLine[] = [];
  let offset = 0;
  while (offset + 8 <= buffer.length) {
    const stream = buffer[offset] === 2 ? 'stderr' : 'stdout';
    const size = buffer.readUInt32BE(offset + 4);
    const frame = buffer.subarray(offset + 8, offset + 8 + size).toString('utf8');
    offset += 8 + size;
    for (const raw of frame.split('\n')) {
      if (raw === '') continue;
      const space = raw.indexOf(' ');
      lines.push({ timestamp: raw.slice(0, space), stream, text: raw.slice(space + 1) });
    }
  }
  return lines;
}

export function dockerUnreachable(cause: unknown): HarnessError {
  const detail = cause instanceof Error ? cause.message : String(cause);
  return new HarnessError('E_DOCKER_UNREACHABLE', `Cannot reach the Docker engine (${detail}).`, {
    hint:
      '`npm run setup` installs and starts it (or start it yourself: `dockerd > /var/log/dockerd.log 2>&1 &`), ' +
      'or point DOCKER_HOST at a running engine. `harness doctor` checks again.',
    cause,
  });
}
