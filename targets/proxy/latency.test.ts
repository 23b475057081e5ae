/**
 * The latency toxic measured through the proxy on 127.0.0.1 (an echo upstream, round trips of a
 * few bytes): what it adds, how jitter spreads it, toxicity per connection, stacking, and that a
 * live connection gets it when it is added and loses it when it is removed. Medians over several
 * samples and 10 % margins keep them steady on a busy 2-core machine.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { useEchoBehindFaultProxy } from './test-support/echo-behind-proxy.ts';
import { reportFigure } from './test-support/measure.ts';
import { median, percentile, TcpProbe } from './test-support/tcp-probe.ts';

const context = useEchoBehindFaultProxy();
let port: number;
const probes: TcpProbe[] = [];

beforeEach(async () => {
  port = await context.fixture.createProxy('p', context.echo.port);
});
// Runs before the fixture's own afterEach (hooks unwind in reverse order).
afterEach(() => {
  for (const probe of probes.splice(0)) probe.destroy();
});

async function connect(): Promise<TcpProbe> {
  const probe = await TcpProbe.connect(port);
  probes.push(probe);
  await probe.roundTrip(); // the first trip pays for the upstream connect
  return probe;
}

describe('latency', () => {
  it.each([50, 200])('%i ms adds that much (within 10 %) to a live connection and to a new one', async (latency) => {
    const live = await connect();
    const baseline = await live.medianRoundTrip(5);
    await context.fixture.addToxic('p', { type: 'latency', attributes: { latency } });

    const addedLive = (await live.medianRoundTrip(5)) - baseline;
    const fresh = await connect();
    const addedNew = (await fresh.medianRoundTrip(5)) - baseline;
    reportFigure(`latency ${latency} ms: added on a live connection`, addedLive, 'ms');
    reportFigure(`latency ${latency} ms: added on a new connection`, addedNew, 'ms');
    for (const added of [addedLive, addedNew]) {
      expect(added).toBeGreaterThanOrEqual(latency * 0.9);
      expect(added).toBeLessThanOrEqual(latency * 1.1);
    }
  });

  it('jitter spreads the delay over latency ± jitter', async () => {
    const probe = await connect();
    await context.fixture.addToxic('p', { type: 'latency', attributes: { latency: 100, jitter: 50 } });
    const samples: number[] = [];
    for (let i = 0; i < 20; i += 1) samples.push(await probe.roundTrip());
    // Lateness only adds (a busy machine stalls now and then), so the floor is firm and the top is a percentile.
    const low = Math.min(...samples);
    const p15 = percentile(samples, 15);
    const p85 = percentile(samples, 85);
    reportFigure('latency 100 ± 50 ms: lowest of 20', low, 'ms');
    reportFigure('latency 100 ± 50 ms: 15th percentile of 20', p15, 'ms');
    reportFigure('latency 100 ± 50 ms: 85th percentile of 20', p85, 'ms');
    expect(low).toBeGreaterThanOrEqual(45);
    expect(p85).toBeLessThanOrEqual(155);
    // Uniform over 100 ms, the 15th and 85th percentiles of 20 draws lie about 70 ms apart.
    expect(p85 - p15).toBeGreaterThan(40);
  });

  it('stacks: two latency toxics on one stream add up', async () => {
    const probe = await connect();
    const baseline = await probe.medianRoundTrip(5);
    await context.fixture.addToxic('p', { name: 'first', type: 'latency', attributes: { latency: 40 } });
    await context.fixture.addToxic('p', { name: 'second', type: 'latency', attributes: { latency: 40 } });
    const added = (await probe.medianRoundTrip(5)) - baseline;
    reportFigure('latency 40 + 40 ms stacked: added', added, 'ms');
    expect(added).toBeGreaterThanOrEqual(72);
    expect(added).toBeLessThanOrEqual(88);
  });

  it('removing it restores the baseline on a live connection, and what it held is sent at once', async () => {
    const probe = await connect();
    const baseline = await probe.medianRoundTrip(9);
    await context.fixture.addToxic('p', { type: 'latency', attributes: { latency: 1000 } });
    const held = probe.roundTrip('held', 3000);
    await new Promise((resolve) => setTimeout(resolve, 50));
    const removedAt = performance.now();
    await context.fixture.removeToxic('p', 'latency_downstream');
    await held;
    const heldFor = performance.now() - removedAt;
    const after = await probe.medianRoundTrip(9);
    reportFigure('latency removed: round trip before (median of 9)', baseline, 'ms');
    reportFigure('latency removed: round trip after (median of 9)', after, 'ms');
    reportFigure('latency removed: held bytes arrived after the removal', heldFor, 'ms');
    expect(heldFor).toBeLessThan(200);
    expect(after).toBeLessThan(baseline + 2);
  });
});

describe('toxicity', () => {
  /** Whether each of `count` new connections got a 40 ms latency toxic, 20 at a time. */
  async function delayedConnections(count: number): Promise<boolean[]> {
    const delayed: boolean[] = [];
    for (let done = 0; done < count; done += 20) {
      const batch = await Promise.all(
        Array.from({ length: Math.min(20, count - done) }, async () => {
          const probe = await TcpProbe.connect(port);
          probes.push(probe);
          const trips = [await probe.roundTrip(), await probe.roundTrip()];
          probe.destroy();
          return median(trips) >= 30;
        }),
      );
      delayed.push(...batch);
    }
    return delayed;
  }

  it.each([
    [0, 0],
    [1, 1],
  ])('%s acts on no connection / every connection', async (toxicity, expected) => {
    await context.fixture.addToxic('p', { type: 'latency', toxicity, attributes: { latency: 40 } });
    const delayed = await delayedConnections(10);
    expect(delayed.filter(Boolean).length / delayed.length).toBe(expected);
  });

  it('0.5 acts on about half of many connections', async () => {
    await context.fixture.addToxic('p', { type: 'latency', toxicity: 0.5, attributes: { latency: 40 } });
    const delayed = await delayedConnections(100);
    const share = delayed.filter(Boolean).length / delayed.length;
    reportFigure('toxicity 0.5: share of 100 connections delayed', share, '');
    // Binomial(100, 0.5): 0.3 and 0.7 are 4 standard deviations out.
    expect(share).toBeGreaterThanOrEqual(0.3);
    expect(share).toBeLessThanOrEqual(0.7);
  });
});
