/**
 * The toxics that shape or cut a stream, measured through the proxy on 127.0.0.1: bandwidth,
 * slicer, limit_data, slow_close, timeout and reset_peer.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startFaultProxyFixture, type FaultProxyFixture } from './test-support/fault-proxy-fixture.ts';
import { startEchoServer, startSendingServer, startTcpServer, type LocalServer } from './test-support/local-servers.ts';
import { reportFigure } from './test-support/measure.ts';
import { median, sleep, TcpProbe } from './test-support/tcp-probe.ts';

let fixture: FaultProxyFixture;
let upstream: LocalServer | undefined;
const probes: TcpProbe[] = [];

beforeEach(async () => {
  fixture = await startFaultProxyFixture();
});
afterEach(async () => {
  for (const probe of probes.splice(0)) probe.destroy();
  await fixture.close();
  await upstream?.close();
  upstream = undefined;
});

/** A proxy in front of `server`, with the toxics in place before the client connects. */
async function through(server: LocalServer, ...toxics: Record<string, unknown>[]): Promise<TcpProbe> {
  upstream = server;
  const port = await fixture.createProxy('p', server.port);
  for (const toxic of toxics) await fixture.addToxic('p', toxic);
  const probe = await TcpProbe.connect(port);
  probes.push(probe);
  return probe;
}

describe('bandwidth', () => {
  it('caps the throughput at the rate (KB/s, 1 KB = 1000 bytes), within 10 %', async () => {
    const total = 1_500_000;
    const probe = await through(await startSendingServer(Buffer.alloc(total, 7)), { type: 'bandwidth', attributes: { rate: 1000 } });
    await probe.until('all bytes', () => probe.receivedBytes >= total, 10_000);
    const first = probe.chunks[0];
    const last = probe.chunks[probe.chunks.length - 1];
    if (first === undefined || last === undefined) throw new Error('nothing received');
    const bytesPerSecond = ((total - first.bytes) / (last.at - first.at)) * 1000;
    reportFigure('bandwidth 1000 KB/s: measured', bytesPerSecond / 1000, 'KB/s');
    expect(bytesPerSecond).toBeGreaterThanOrEqual(900_000);
    expect(bytesPerSecond).toBeLessThanOrEqual(1_100_000);
  });

  it('rate 0 is no limit', async () => {
    const total = 5_000_000;
    const probe = await through(await startSendingServer(Buffer.alloc(total, 7)), { type: 'bandwidth', attributes: { rate: 0 } });
    const start = performance.now();
    await probe.until('all bytes', () => probe.receivedBytes >= total, 10_000);
    expect(performance.now() - start).toBeLessThan(2000);
  });
});

describe('slicer', () => {
  it('splits one write into pieces of average_size ± size_variation, delay µs apart', async () => {
    const total = 1000;
    const probe = await through(await startSendingServer(Buffer.alloc(total, 1)), {
      type: 'slicer',
      attributes: { average_size: 100, size_variation: 20, delay: 10_000 },
    });
    await probe.until('all bytes', () => probe.receivedBytes >= total, 5000);
    const sizes = probe.chunks.map((c) => c.bytes);
    const spanMs = (probe.chunks[probe.chunks.length - 1]?.at ?? 0) - (probe.chunks[0]?.at ?? 0);
    reportFigure('slicer 100 ± 20 bytes, 10 ms: reads of 1000 bytes', sizes.length, '');
    reportFigure('slicer 100 ± 20 bytes, 10 ms: median read', median(sizes), 'bytes');
    reportFigure('slicer 100 ± 20 bytes, 10 ms: first to last read', spanMs, 'ms');
    // 1000 bytes make 9 to 13 pieces, 10 ms apart; a receiver stalled by a busy machine may read a few at once.
    expect(sizes.length).toBeGreaterThanOrEqual(6);
    expect(median(sizes)).toBeGreaterThanOrEqual(80);
    expect(median(sizes)).toBeLessThanOrEqual(140);
    expect(spanMs).toBeGreaterThanOrEqual(70);
  });
});

describe('limit_data', () => {
  it('passes the first `bytes` bytes, then closes the connection', async () => {
    const probe = await through(await startSendingServer(Buffer.alloc(5000, 2)), { type: 'limit_data', attributes: { bytes: 1000 } });
    await probe.until('end', () => probe.endedAt !== undefined, 3000);
    await sleep(50);
    reportFigure('limit_data 1000 bytes: received before the close', probe.receivedBytes, 'bytes');
    expect(probe.receivedBytes).toBe(1000);
    expect(probe.error).toBeUndefined();
  });

  it('on the upstream stream it cuts what the client sends', async () => {
    let serverReceived = 0;
    const probe = await through(await startTcpServer((socket) => socket.on('data', (chunk: Buffer) => (serverReceived += chunk.length))), {
      type: 'limit_data',
      stream: 'upstream',
      attributes: { bytes: 10 },
    });
    probe.socket.write('0123456789abcdef');
    await probe.until('end', () => probe.endedAt !== undefined, 3000);
    await sleep(50);
    expect(serverReceived).toBe(10);
  });
});

describe('slow_close', () => {
  it('delays the close by `delay` ms, not the data', async () => {
    const probe = await through(await startSendingServer(Buffer.from('bye')), { type: 'slow_close', attributes: { delay: 300 } });
    const start = performance.now();
    await probe.until('end', () => probe.endedAt !== undefined, 3000);
    const dataAfter = (probe.chunks[0]?.at ?? Number.NaN) - start;
    const endAfterData = (probe.endedAt ?? Number.NaN) - (probe.chunks[0]?.at ?? Number.NaN);
    reportFigure('slow_close 300 ms: end after the data', endAfterData, 'ms');
    expect(probe.receivedBytes).toBe(3);
    expect(dataAfter).toBeLessThan(100);
    expect(endAfterData).toBeGreaterThanOrEqual(290);
    expect(endAfterData).toBeLessThanOrEqual(400);
  });
});

describe('timeout', () => {
  it('0 holds the data and the connection for as long as it stays; removing it closes what it held', async () => {
    const probe = await through(await startEchoServer(), { type: 'timeout', stream: 'upstream', attributes: { timeout: 0 } });
    probe.socket.write('anyone?');
    await sleep(600);
    expect(probe.receivedBytes).toBe(0);
    expect(probe.endedAt).toBeUndefined();
    expect(probe.error).toBeUndefined();
    await fixture.removeToxic('p', 'timeout_upstream');
    await probe.until('end', () => probe.endedAt !== undefined, 2000);
    expect(probe.receivedBytes).toBe(0);
  });

  it('N closes the connection N ms after the last data reached it, with nothing through', async () => {
    const probe = await through(await startEchoServer(), { type: 'timeout', stream: 'upstream', attributes: { timeout: 300 } });
    const sentAt = performance.now();
    probe.socket.write('anyone?');
    await probe.until('end', () => probe.endedAt !== undefined, 3000);
    const closedAfter = (probe.endedAt ?? Number.NaN) - sentAt;
    reportFigure('timeout 300 ms: closed after the last data', closedAfter, 'ms');
    expect(probe.receivedBytes).toBe(0);
    expect(closedAfter).toBeGreaterThanOrEqual(290);
    expect(closedAfter).toBeLessThanOrEqual(450);
  });
});

describe('reset_peer', () => {
  it('resets the connection `timeout` ms after data reaches it: ECONNRESET for the client', async () => {
    const probe = await through(await startEchoServer(), { type: 'reset_peer', attributes: { timeout: 200 } });
    const sentAt = performance.now();
    probe.socket.write('hello');
    await probe.until('reset', () => probe.error !== undefined, 3000);
    const resetAfter = (probe.closedAt ?? performance.now()) - sentAt;
    reportFigure('reset_peer 200 ms: ECONNRESET after the data', resetAfter, 'ms');
    expect(probe.error?.code).toBe('ECONNRESET');
    expect(probe.receivedBytes).toBe(0);
    expect(resetAfter).toBeGreaterThanOrEqual(190);
    expect(resetAfter).toBeLessThanOrEqual(400);
  });

  it('0 resets at once, also when added to a live connection', async () => {
    const probe = await through(await startEchoServer());
    await probe.roundTrip();
    await fixture.addToxic('p', { type: 'reset_peer', stream: 'upstream', attributes: { timeout: 0 } });
    probe.socket.write('hello');
    await probe.until('reset', () => probe.error !== undefined, 3000);
    expect(probe.error?.code).toBe('ECONNRESET');
  });
});

describe('a chain of toxics', () => {
  it('runs them in the order added: the close of limit_data travels behind its bytes through a later latency', async () => {
    const start = performance.now();
    const probe = await through(
      await startSendingServer(Buffer.alloc(3000, 3)),
      { name: 'cut', type: 'limit_data', attributes: { bytes: 100 } },
      { name: 'lag', type: 'latency', attributes: { latency: 150 } },
    );
    await probe.until('end', () => probe.endedAt !== undefined, 3000);
    const dataAt = (probe.chunks[0]?.at ?? Number.NaN) - start;
    expect(probe.receivedBytes).toBe(100);
    expect(dataAt).toBeGreaterThanOrEqual(140);
    expect((probe.endedAt ?? Number.NaN) - start).toBeGreaterThanOrEqual(dataAt);
  });
});

describe('switching a live link between the pipe and the chain', () => {
  it('keeps every byte, in order, while toxics come and go mid-stream', async () => {
    const blocks = 100;
    const blockBytes = 16 * 1024;
    const pattern = Buffer.alloc(blocks * blockBytes);
    for (let i = 0; i < pattern.length; i += 1) pattern[i] = (i * 7 + (i >> 11)) % 251;
    const probe = await through(
      await startTcpServer((socket) => {
        let sent = 0;
        const timer = setInterval(() => {
          socket.write(pattern.subarray(sent * blockBytes, (sent + 1) * blockBytes));
          sent += 1;
          if (sent === blocks) {
            clearInterval(timer);
            socket.end();
          }
        }, 3);
        socket.on('close', () => clearInterval(timer));
      }),
    );
    const received: Buffer[] = [];
    probe.socket.on('data', (chunk: Buffer) => received.push(chunk));
    const toxics = [
      { name: 't', type: 'latency', attributes: { latency: 2, jitter: 1 } },
      { name: 't', type: 'slicer', attributes: { average_size: 3000, size_variation: 1000 } },
      { name: 't', type: 'bandwidth', attributes: { rate: 200_000 } },
      { name: 't', type: 'slow_close', attributes: { delay: 1 } },
    ];
    let switchesWhileFlowing = 0;
    for (let i = 0; probe.endedAt === undefined && i < 40; i += 1) {
      await fixture.addToxic('p', toxics[i % toxics.length] ?? {});
      await sleep(10);
      await fixture.removeToxic('p', 't');
      await sleep(5);
      if (probe.endedAt === undefined) switchesWhileFlowing += 1;
    }
    await probe.until('end', () => probe.endedAt !== undefined, 10_000);
    expect(switchesWhileFlowing).toBeGreaterThanOrEqual(4);
    expect(probe.receivedBytes).toBe(pattern.length);
    expect(Buffer.concat(received).equals(pattern)).toBe(true);
  });
});

describe('an upstream that refuses', () => {
  it('closes the client connection, as Toxiproxy does', async () => {
    const closed = await startTcpServer(() => undefined);
    const port = closed.port;
    await closed.close();
    const proxyPort = await fixture.createProxy('nowhere', port);
    const probe = await TcpProbe.connect(proxyPort);
    probes.push(probe);
    await probe.until('closed', () => probe.endedAt !== undefined || probe.error !== undefined, 3000);
    expect(probe.receivedBytes).toBe(0);
  });
});
