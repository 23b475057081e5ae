/**
 * The proxy driven as a Toxiproxy client drives it: the requests `toxiproxy-node-client` sends
 * (fetch, JSON bodies with Content-Type application/json, the status it checks for each call:
 * 201 create, 200 toxic, 204 delete and reset), against an HTTP upstream with keep-alive requests.
 */
import http from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFaultProxyFixture, type FaultProxyFixture } from './test-support/fault-proxy-fixture.ts';
import { startHttpServer, type LocalServer } from './test-support/local-servers.ts';
import { median } from './test-support/tcp-probe.ts';

let upstream: LocalServer;
let fixture: FaultProxyFixture;
let base: string;

beforeAll(async () => {
  upstream = await startHttpServer();
  fixture = await startFaultProxyFixture();
  base = fixture.api.url;
});
afterAll(async () => {
  await fixture.close();
  await upstream.close();
});

/** As the client sends it: JSON.stringify and a JSON content type when there is a body; it throws unless res.ok. */
async function clientCall<T>(method: string, path: string, body?: unknown): Promise<{ status: number; data: T }> {
  const init: RequestInit = { method };
  if (body !== undefined) {
    init.body = JSON.stringify(body);
    init.headers = { 'Content-Type': 'application/json' };
  }
  const res = await fetch(`${base}${path}`, init);
  const text = await res.text();
  if (!res.ok) throw new Error(`Request failed with status code ${res.status}: ${text}`);
  return { status: res.status, data: (text.length === 0 ? undefined : JSON.parse(text)) as T };
}

interface ProxyBody {
  name: string;
  listen: string;
  upstream: string;
  enabled: boolean;
  toxics: ToxicBody[];
}
interface ToxicBody {
  name: string;
  type: string;
  stream: string;
  toxicity: number;
  attributes: Record<string, number>;
}

/** Median time of keep-alive GETs through the proxy. */
async function medianGet(port: number, agent: http.Agent, samples = 5): Promise<number> {
  const times: number[] = [];
  for (let i = 0; i < samples; i += 1) {
    const start = performance.now();
    await new Promise<void>((resolve, reject) => {
      http
        .get({ host: '127.0.0.1', port, path: '/', agent }, (res) => {
          res.resume();
          res.on('end', resolve);
        })
        .on('error', reject);
    });
    times.push(performance.now() - start);
  }
  return median(times);
}

describe('driven as toxiproxy-node-client drives Toxiproxy', () => {
  it('creates a proxy, adds, lists, updates and removes a latency toxic, resets and deletes', async () => {
    const version = await clientCall<{ version: string }>('GET', '/version');
    expect(version.data.version).toMatch(/^2\./);

    const created = await clientCall<ProxyBody>('POST', '/proxies', { name: 'app', listen: '127.0.0.1:0', upstream: `127.0.0.1:${upstream.port}`, enabled: true });
    expect(created.status).toBe(201);
    const { name, listen, enabled, toxics } = created.data;
    expect({ name, enabled, toxics }).toEqual({ name: 'app', enabled: true, toxics: [] });
    const port = Number(listen.split(':').pop());

    const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
    try {
      const baseline = await medianGet(port, agent);

      const added = await clientCall<ToxicBody>('POST', '/proxies/app/toxics', {
        attributes: { latency: 100, jitter: 0 },
        name: 'latency_down',
        stream: 'downstream',
        toxicity: 1,
        type: 'latency',
      });
      expect(added.status).toBe(200);
      expect(added.data).toEqual({ attributes: { latency: 100, jitter: 0 }, name: 'latency_down', stream: 'downstream', toxicity: 1, type: 'latency' });
      // The kept-alive connection, opened before the toxic, is delayed too. (The latency tests measure
      // to 10 %; this one checks the client's calls take effect, with room for a busy machine.)
      const delayed = await medianGet(port, agent);
      expect(delayed - baseline).toBeGreaterThanOrEqual(90);
      expect(delayed - baseline).toBeLessThanOrEqual(120);

      const listed = await clientCall<ToxicBody[]>('GET', '/proxies/app/toxics');
      expect(listed.data.map((t) => t.name)).toEqual(['latency_down']);
      const all = await clientCall<Record<string, ProxyBody>>('GET', '/proxies');
      expect(all.data.app?.toxics).toEqual([added.data]);

      const updated = await clientCall<ToxicBody>('POST', '/proxies/app/toxics/latency_down', { attributes: { latency: 60 } });
      expect(updated.data.attributes).toEqual({ latency: 60, jitter: 0 });
      const lessDelayed = await medianGet(port, agent);
      expect(lessDelayed - baseline).toBeGreaterThanOrEqual(54);
      expect(lessDelayed - baseline).toBeLessThanOrEqual(72);

      const removed = await clientCall<undefined>('DELETE', '/proxies/app/toxics/latency_down');
      expect(removed.status).toBe(204);
      expect((await clientCall<ToxicBody[]>('GET', '/proxies/app/toxics')).data).toEqual([]);
      expect(await medianGet(port, agent)).toBeLessThan(baseline + 5);

      // Proxy#update posts all three fields back; a disabled proxy refuses connections.
      const down = await clientCall<ProxyBody>('POST', '/proxies/app', { enabled: false, listen, upstream: `127.0.0.1:${upstream.port}` });
      expect(down.data).toMatchObject({ enabled: false, listen });
      expect((await clientCall<undefined>('POST', '/reset')).status).toBe(204);
      expect((await clientCall<ProxyBody>('GET', '/proxies/app')).data).toMatchObject({ enabled: true, listen });
    } finally {
      agent.destroy();
    }

    expect((await clientCall<undefined>('DELETE', '/proxies/app')).status).toBe(204);
    await expect(clientCall('GET', '/proxies/app')).rejects.toThrow('Request failed with status code 404');
  });
});
