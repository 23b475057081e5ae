/**
 * One client connection and the upstream connection made for it, joined by two links: upstream
 * (client → server) and downstream (server → client), each with the toxics of its stream.
 *
 * Both sockets allow half-open connections, so a FIN travels through the chain like data (a
 * slow_close toxic holds it, a latency toxic delays what came before it) instead of Node ending
 * the other direction at once. A socket that fails (ECONNRESET, a refused upstream) takes the
 * other one down with it.
 */
import net from 'node:net';
import type { HostPort } from './address.ts';
import { Link } from './link.ts';
import type { Stream, Toxic } from './toxic.ts';
import type { CloseMode } from './toxics/stage.ts';

/** How long a connection a toxic closed may take to flush its last bytes before it is destroyed. */
const CLOSE_FLUSH_MS = 2000;

export class ProxiedConnection {
  private readonly upstreamSocket: net.Socket;
  private readonly links: Record<Stream, Link>;
  private closing = false;
  private closedSockets = 0;

  constructor(
    private readonly client: net.Socket,
    upstream: HostPort,
    toxics: readonly Toxic[],
    private readonly onClosed: (connection: ProxiedConnection) => void,
  ) {
    client.setNoDelay(true);
    this.upstreamSocket = net.connect({ host: upstream.host, port: upstream.port, allowHalfOpen: true, noDelay: true });
    const close = (mode: CloseMode): void => this.close(mode);
    this.links = {
      upstream: new Link(client, this.upstreamSocket, toxics.filter((t) => t.stream === 'upstream'), close),
      downstream: new Link(this.upstreamSocket, client, toxics.filter((t) => t.stream === 'downstream'), close),
    };
    for (const socket of [client, this.upstreamSocket]) {
      // Errors end in 'close' (with hadError), handled there.
      socket.on('error', () => undefined);
      socket.on('close', (hadError) => this.socketClosed(hadError));
    }
  }

  addToxic(toxic: Toxic): void {
    this.links[toxic.stream].addToxic(toxic);
  }

  replaceToxic(toxic: Toxic): void {
    this.links[toxic.stream].replaceToxic(toxic);
  }

  removeToxic(toxic: Toxic): void {
    this.links[toxic.stream].removeToxic(toxic.name);
  }

  /** Both sockets at once, what is buffered dropped: the proxy is disabled or deleted. */
  destroy(): void {
    this.stopLinks();
    this.client.destroy();
    this.upstreamSocket.destroy();
  }

  /** A toxic's close reached the destination: FIN both peers after what is already written, or RST them. */
  private close(mode: CloseMode): void {
    if (this.closing) return;
    this.stopLinks();
    if (mode === 'rst') {
      for (const socket of [this.client, this.upstreamSocket]) if (!socket.destroyed) socket.resetAndDestroy();
      return;
    }
    this.client.destroySoon();
    this.upstreamSocket.destroySoon();
    // A peer that stops reading would otherwise keep the sockets forever.
    setTimeout(() => this.destroy(), CLOSE_FLUSH_MS).unref();
  }

  private stopLinks(): void {
    this.closing = true;
    this.links.upstream.stop();
    this.links.downstream.stop();
  }

  private socketClosed(hadError: boolean): void {
    this.closedSockets += 1;
    if (hadError) this.destroy();
    if (this.closedSockets === 2) {
      this.stopLinks();
      this.onClosed(this);
    }
  }
}
