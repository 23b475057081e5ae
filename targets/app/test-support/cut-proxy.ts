/**
 * A TCP proxy on 127.0.0.1 in front of one port that can cut its connections the way a network
 * partition does: `cut()` stops forwarding on every connection open at that moment, in both
 * directions, without closing them (no FIN, no RST: the peers just hear nothing more). New
 * connections are forwarded as before, like a replica that came back with a new address.
 */
import net from 'node:net';
import type { AddressInfo } from 'node:net';

export interface CutProxy {
  port: number;
  url: string;
  cut(): void;
  close(): Promise<void>;
}

export async function startCutProxy(targetPort: number): Promise<CutProxy> {
  const open = new Set<{ client: net.Socket; upstream: net.Socket; cut: boolean }>();
  const server = net.createServer((client) => {
    const upstream = net.connect(targetPort, '127.0.0.1');
    const pair = { client, upstream, cut: false };
    open.add(pair);
    client.on('data', (chunk) => {
      if (!pair.cut) upstream.write(chunk);
    });
    upstream.on('data', (chunk) => {
      if (!pair.cut) client.write(chunk);
    });
    const end = (): void => {
      open.delete(pair);
      client.destroy();
      upstream.destroy();
    };
    // A cut connection stays open whatever its peer does: that is what a partition looks like.
    client.on('close', () => !pair.cut && end());
    upstream.on('close', () => !pair.cut && end());
    client.on('error', () => undefined);
    upstream.on('error', () => undefined);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    port,
    url: `redis://127.0.0.1:${port}`,
    cut() {
      for (const pair of open) pair.cut = true;
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const pair of open) {
          pair.client.destroy();
          pair.upstream.destroy();
        }
        server.close(() => resolve());
      }),
  };
}
