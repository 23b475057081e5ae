import { createServer, type Server, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { LbEventStream } from './lb-event-stream.ts';
import { waitUntil } from './probes.ts';

const ringLine = (n: number): string => `<134>1 2026-12-01T23:38:25.${String(n).padStart(6, '0')}+00:00 - haproxy 8 - - line ${n}\n`;

/** A runtime API that answers `show events <ring> -w` with the ring so far, then each new line. */
class FakeRuntimeApi {
  readonly ring: string[] = [];
  readonly commands: string[] = [];
  private readonly clients = new Set<Socket>();
  private server: Server | undefined;

  async listen(): Promise<number> {
    this.server = createServer((socket) => {
      socket.once('data', (chunk) => {
        this.commands.push(chunk.toString().trim());
        socket.write(this.ring.join(''));
        this.clients.add(socket);
      });
      socket.on('close', () => this.clients.delete(socket));
    });
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    return (this.server.address() as AddressInfo).port;
  }

  /** Writes a line to the ring; `split` sends it in two packets. */
  write(line: string, split = false): void {
    this.ring.push(line);
    for (const client of this.clients) {
      if (split) {
        client.write(line.slice(0, 20));
        setTimeout(() => client.write(line.slice(20)), 5);
      } else client.write(line);
    }
  }

  dropClients(): void {
    for (const client of this.clients) client.destroy();
  }

  async close(): Promise<void> {
    this.dropClients();
    await new Promise<void>((resolve) => this.server?.close(() => resolve()));
  }
}

describe('LbEventStream', () => {
  let api: FakeRuntimeApi;
  afterEach(async () => api.close());

  it('delivers what the ring held, then each new line once, also when a line arrives in pieces', async () => {
    api = new FakeRuntimeApi();
    const port = await api.listen();
    api.write(ringLine(1));
    const texts: string[] = [];
    const stream = new LbEventStream({ host: '127.0.0.1', port, ring: 'events', onLine: (line) => texts.push(line.text) });
    await stream.start();
    await waitUntil(async () => (texts.length === 1 ? true : undefined), { timeoutMs: 2000, intervalMs: 5 });
    api.write(ringLine(2), true);
    await waitUntil(async () => (texts.length === 2 ? true : undefined), { timeoutMs: 2000, intervalMs: 5 });
    api.write(ringLine(3));
    await waitUntil(async () => (texts.length === 3 ? true : undefined), { timeoutMs: 2000, intervalMs: 5 });
    expect(texts).toEqual(['line 1', 'line 2', 'line 3']);
    expect(api.commands).toEqual(['show events events -w']);
    stream.stop();
  });

  it('reconnects when the runtime API closes it and skips the lines it already delivered', async () => {
    api = new FakeRuntimeApi();
    const port = await api.listen();
    const texts: string[] = [];
    const problems: string[] = [];
    const stream = new LbEventStream({ host: '127.0.0.1', port, ring: 'events', onLine: (l) => texts.push(l.text), onProblem: (p) => problems.push(p), retryMs: 10 });
    await stream.start();
    api.write(ringLine(1));
    api.write(ringLine(2));
    await waitUntil(async () => (texts.length === 2 ? true : undefined), { timeoutMs: 2000, intervalMs: 5 });
    api.dropClients();
    api.write(ringLine(3));
    await waitUntil(async () => (texts.length >= 3 ? true : undefined), { timeoutMs: 2000, intervalMs: 5 });
    api.write(ringLine(4));
    await waitUntil(async () => (texts.length >= 4 ? true : undefined), { timeoutMs: 2000, intervalMs: 5 });
    expect(texts).toEqual(['line 1', 'line 2', 'line 3', 'line 4']);
    expect(stream.lineCount).toBe(4);
    expect(problems).toEqual([]);
    stream.stop();
  });

  it('says so when the ring no longer starts where it did after a reconnection', async () => {
    api = new FakeRuntimeApi();
    const port = await api.listen();
    const problems: string[] = [];
    const stream = new LbEventStream({ host: '127.0.0.1', port, ring: 'events', onLine: () => undefined, onProblem: (p) => problems.push(p), retryMs: 10 });
    await stream.start();
    api.write(ringLine(1));
    api.write(ringLine(2));
    await waitUntil(async () => (stream.lineCount === 2 ? true : undefined), { timeoutMs: 2000, intervalMs: 5 });
    api.ring.shift(); // the ring wrapped: its oldest line is gone
    api.ring.push(ringLine(3));
    api.dropClients();
    await waitUntil(async () => (problems.length > 0 ? true : undefined), { timeoutMs: 2000, intervalMs: 5 });
    expect(problems[0]).toMatch(/lines may be missing/);
    stream.stop();
  });
});
