/**
 * One named proxy: a listener on `listen` that joins each client to a new connection to `upstream`,
 * and the toxics that act on those connections — on new ones and on those already open.
 */
import net from 'node:net';
import { formatHostPort, parseHostPort, sameHostPort, type HostPort } from './address.ts';
import { ApiError, badRequestBody, toxicNotFound } from './api-error.ts';
import { ProxiedConnection } from './connection.ts';
import { STREAMS, toxicJson, type Toxic, type ToxicJson } from './toxic.ts';

export interface ProxySettings {
  listen: string;
  upstream: string;
  enabled: boolean;
}

export interface ProxyJson {
  name: string;
  listen: string;
  upstream: string;
  enabled: boolean;
  toxics: ToxicJson[];
}

export class FaultProxy {
  private server: net.Server | undefined;
  private readonly connections = new Set<ProxiedConnection>();
  /** In the order they were added; each stream's chain is its toxics in this order. */
  private toxics: Toxic[] = [];
  private settings: ProxySettings;

  constructor(
    readonly name: string,
    settings: Omit<ProxySettings, 'enabled'>,
  ) {
    checkAddresses(settings);
    this.settings = { ...settings, enabled: false };
  }

  get enabled(): boolean {
    return this.settings.enabled;
  }

  get listen(): string {
    return this.settings.listen;
  }

  get upstream(): string {
    return this.settings.upstream;
  }

  get openConnections(): number {
    return this.connections.size;
  }

  /** Starts listening; `listen` then names the address bound (port 0 becomes the port chosen). */
  async start(): Promise<void> {
    if (this.server !== undefined) return;
    const address = requireHostPort(this.settings.listen, 'listen');
    const upstream = requireHostPort(this.settings.upstream, 'upstream');
    const server = net.createServer({ allowHalfOpen: true, noDelay: true }, (client) => this.accept(client, upstream));
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(address.host === '' ? { port: address.port } : { host: address.host, port: address.port }, () => {
        server.off('error', reject);
        resolve();
      });
    }).catch((error: unknown) => {
      // Toxiproxy answers a listen that fails with 500 and the system's message.
      throw new ApiError(500, `listen tcp ${this.settings.listen}: ${error instanceof Error ? error.message : String(error)}`);
    });
    server.on('error', () => undefined);
    const bound = server.address() as net.AddressInfo;
    this.server = server;
    this.settings = { ...this.settings, listen: formatHostPort(bound.address, bound.port), enabled: true };
  }

  /** Stops listening and drops every open connection (Toxiproxy's "down"). */
  async stop(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    this.settings = { ...this.settings, enabled: false };
    for (const connection of this.connections) connection.destroy();
    this.connections.clear();
    if (server !== undefined) await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  /** A new listen or upstream restarts the proxy (open connections dropped); `enabled` starts or stops it. */
  async update(next: ProxySettings): Promise<void> {
    checkAddresses(next);
    if (!sameHostPort(next.listen, this.settings.listen) || !sameHostPort(next.upstream, this.settings.upstream)) {
      await this.stop();
      this.settings = { ...this.settings, listen: next.listen, upstream: next.upstream };
    }
    if (next.enabled && !this.enabled) await this.start();
    else if (!next.enabled && this.enabled) await this.stop();
  }

  /** Whether populating with these settings would replace this proxy (Toxiproxy compares the addresses). */
  differs(settings: Omit<ProxySettings, 'enabled'>): boolean {
    return !sameHostPort(settings.listen, this.settings.listen) || !sameHostPort(settings.upstream, this.settings.upstream);
  }

  /** Toxics as Toxiproxy lists them: the upstream chain, then the downstream one. */
  listToxics(): Toxic[] {
    return STREAMS.flatMap((stream) => this.toxics.filter((toxic) => toxic.stream === stream));
  }

  findToxic(name: string): Toxic | undefined {
    return this.toxics.find((toxic) => toxic.name === name);
  }

  getToxic(name: string): Toxic {
    const toxic = this.findToxic(name);
    if (toxic === undefined) throw toxicNotFound();
    return toxic;
  }

  addToxic(toxic: Toxic): void {
    this.toxics.push(toxic);
    for (const connection of this.connections) connection.addToxic(toxic);
  }

  updateToxic(toxic: Toxic): void {
    const index = this.toxics.findIndex((t) => t.name === toxic.name);
    if (index < 0) throw toxicNotFound();
    this.toxics[index] = toxic;
    for (const connection of this.connections) connection.replaceToxic(toxic);
  }

  removeToxic(name: string): void {
    const toxic = this.getToxic(name);
    this.toxics = this.toxics.filter((t) => t !== toxic);
    for (const connection of this.connections) connection.removeToxic(toxic);
  }

  removeAllToxics(): void {
    for (const toxic of this.listToxics()) this.removeToxic(toxic.name);
  }

  toJSON(): ProxyJson {
    const { listen, upstream, enabled } = this.settings;
    return { name: this.name, listen, upstream, enabled, toxics: this.listToxics().map(toxicJson) };
  }

  private accept(client: net.Socket, upstream: HostPort): void {
    const connection = new ProxiedConnection(client, upstream, this.toxics, (closed) => this.connections.delete(closed));
    this.connections.add(connection);
  }
}

/** Throws the 400 for a listen or upstream address that is not host:port. */
export function checkAddresses(settings: Omit<ProxySettings, 'enabled'>): void {
  requireHostPort(settings.listen, 'listen');
  requireHostPort(settings.upstream, 'upstream');
}

function requireHostPort(text: string, field: string): HostPort {
  const address = parseHostPort(text);
  if (address === undefined || (field === 'upstream' && (address.host === '' || address.port === 0))) {
    throw badRequestBody(`${field}: ${JSON.stringify(text)} is not allowed; expected host:port${field === 'listen' ? ' (port 0 = any free port)' : ''}`);
  }
  return address;
}
