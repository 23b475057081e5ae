import { createReadStream } from 'node:fs';
import Docker from 'dockerode';
import tar from 'tar-stream';
import { HarnessError } from '../core/errors.ts';
import type {
  ContainerInfo,
  ContainerRuntime,
  ContainerSpec,
  ImageInfo,
  Labels,
  LogLine,
  NetworkInfo,
} from './runtime.ts';

/** The only module that knows dockerode. Errors from the engine become HarnessErrors with a hint. */
export class DockerRuntime implements ContainerRuntime {
  private readonly docker: Docker;

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
    const version = await this.docker.version();
    return version.Version;
  }

  async createNetwork(name: string, labels: Labels): Promise<NetworkInfo> {
    const network = await this.docker.createNetwork({
      Name: name,
      Driver: 'bridge',
      CheckDuplicate: true,
      Labels: { ...labels },
    });
    return { id: network.id, name, labels };
  }

  async removeNetwork(id: string): Promise<void> {
    await ignoreMissing(this.docker.getNetwork(id).remove());
  }

  async listNetworks(labelFilter: Labels): Promise<NetworkInfo[]> {
    const networks = await this.docker.listNetworks({ filters: { label: labelFilters(labelFilter) } });
    return networks.map((n) => ({ id: n.Id, name: n.Name, labels: n.Labels ?? {} }));
  }

  async createContainer(spec: ContainerSpec): Promise<string> {
    const port = spec.publishOnLoopback;
    const container = await this.docker.createContainer({
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
    });
    if (spec.files && Object.keys(spec.files).length > 0) {
      await container.putArchive(await tarOf(spec.files), { path: '/' });
    }
    return container.id;
  }

  async startContainer(id: string): Promise<void> {
    await this.docker.getContainer(id).start();
  }

  async killContainer(id: string, signal = 'SIGKILL'): Promise<void> {
    await this.docker.getContainer(id).kill({ signal });
  }

  async stopContainer(id: string, timeoutSeconds: number): Promise<void> {
    await ignoreNotModified(this.docker.getContainer(id).stop({ t: timeoutSeconds }));
  }

  async restartContainer(id: string, timeoutSeconds: number): Promise<void> {
    await this.docker.getContainer(id).restart({ t: timeoutSeconds });
  }

  async pauseContainer(id: string): Promise<void> {
    await this.docker.getContainer(id).pause();
  }

  async unpauseContainer(id: string): Promise<void> {
    await this.docker.getContainer(id).unpause();
  }

  async connectNetwork(containerId: string, network: string, aliases: readonly string[]): Promise<void> {
    await this.docker.getNetwork(network).connect({
      Container: containerId,
      EndpointConfig: { Aliases: [...aliases] },
    });
  }

  async disconnectNetwork(containerId: string, network: string): Promise<void> {
    await this.docker.getNetwork(network).disconnect({ Container: containerId, Force: true });
  }

  async removeContainer(id: string): Promise<void> {
    await ignoreMissing(this.docker.getContainer(id).remove({ force: true, v: true }));
  }

  async inspectContainer(id: string): Promise<ContainerInfo> {
    const info = await this.docker.getContainer(id).inspect();
    const addresses: Record<string, string> = {};
    for (const [name, endpoint] of Object.entries(info.NetworkSettings.Networks ?? {})) {
      if (endpoint.IPAddress) addresses[name] = endpoint.IPAddress;
    }
    const publishedPorts: Record<number, number> = {};
    for (const [key, bindings] of Object.entries(info.NetworkSettings.Ports ?? {})) {
      const hostPort = bindings?.[0]?.HostPort;
      if (hostPort) publishedPorts[Number.parseInt(key, 10)] = Number.parseInt(hostPort, 10);
    }
    return {
      id: info.Id,
      name: info.Name.replace(/^\//, ''),
      labels: info.Config.Labels ?? {},
      state: info.State.Status as ContainerInfo['state'],
      addresses,
      publishedPorts,
      exitCode: info.State.Running ? undefined : info.State.ExitCode,
      startedAt: info.State.StartedAt,
    };
  }

  async listContainers(labelFilter: Labels): Promise<ContainerInfo[]> {
    const containers = await this.docker.listContainers({
      all: true,
      filters: { label: labelFilters(labelFilter) },
    });
    return containers.map((c) => {
      const addresses: Record<string, string> = {};
      for (const [name, endpoint] of Object.entries(c.NetworkSettings?.Networks ?? {})) {
        if (endpoint.IPAddress) addresses[name] = endpoint.IPAddress;
      }
      const publishedPorts: Record<number, number> = {};
      for (const port of c.Ports ?? []) {
        if (port.PublicPort) publishedPorts[port.PrivatePort] = port.PublicPort;
      }
      return {
        id: c.Id,
        name: (c.Names?.[0] ?? c.Id).replace(/^\//, ''),
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
    const buffer = (await this.docker.getContainer(id).logs({
      stdout: true,
      stderr: true,
      timestamps: true,
      follow: false,
      ...(options.tail !== undefined ? { tail: options.tail } : {}),
      ...(options.since !== undefined ? { since: options.since } : {}),
    })) as unknown as Buffer;
    return demuxLogs(buffer);
  }

  async listVolumes(labelFilter: Labels): Promise<{ name: string }[]> {
    const result = await this.docker.listVolumes({ filters: { label: labelFilters(labelFilter) } });
    return (result.Volumes ?? []).map((v) => ({ name: v.Name }));
  }

  async removeVolume(name: string): Promise<void> {
    await ignoreMissing(this.docker.getVolume(name).remove());
  }

  async findImage(tag: string): Promise<ImageInfo | undefined> {
    try {
      const info = await this.docker.getImage(tag).inspect();
      return { id: info.Id, tags: info.RepoTags ?? [], labels: info.Config?.Labels ?? {} };
    } catch (error) {
      if (statusOf(error) === 404) return undefined;
      throw error;
    }
  }

  async importImage(tarPath: string, tag: string, labels: Labels, config: readonly string[]): Promise<void> {
    const [repo, version] = splitTag(tag);
    const changes = [...Object.entries(labels).map(([k, v]) => `LABEL ${k}=${JSON.stringify(v)}`), ...config];
    const stream = await this.docker.importImage(createReadStream(tarPath), { repo, tag: version, changes });
    await followProgress(this.docker, stream as NodeJS.ReadableStream, `import of ${tag}`);
  }

  async buildImage(contextDir: string, tag: string, labels: Labels): Promise<void> {
    const stream = await this.docker.buildImage(
      { context: contextDir, src: ['Dockerfile', '.'] },
      { t: tag, labels: { ...labels }, rm: true, forcerm: true, pull: false },
    );
    await followProgress(this.docker, stream, `build of ${tag}`);
  }
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
