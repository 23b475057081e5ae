/**
 * Every endpoint of the Toxiproxy API as this proxy serves it: status codes, JSON shapes and error
 * bodies (`{"error", "status"}`), and that the proxies it reports really listen and forward.
 */
import net from 'node:net';
import { beforeEach, describe, expect, it } from 'vitest';
import { request } from '../app/test-support/http-client.ts';
import { API_VERSION } from './api-routes.ts';
import { useEchoBehindFaultProxy } from './test-support/echo-behind-proxy.ts';
import { startEchoServer } from './test-support/local-servers.ts';
import { TcpProbe } from './test-support/tcp-probe.ts';

const context = useEchoBehindFaultProxy();

const portOf = (listen: string): number => Number(listen.split(':').pop());

function refused(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ host: '127.0.0.1', port });
    socket.once('connect', () => {
      socket.destroy();
      resolve(false);
    });
    socket.once('error', (error: NodeJS.ErrnoException) => resolve(error.code === 'ECONNREFUSED'));
  });
}

async function echoes(port: number): Promise<boolean> {
  const probe = await TcpProbe.connect(port);
  try {
    await probe.roundTrip('hello', 2000);
    return true;
  } finally {
    probe.destroy();
  }
}

describe('GET /version', () => {
  it('answers the version as JSON', async () => {
    const response = await context.fixture.call('GET', '/version');
    expect(response.status).toBe(200);
    expect(response.json).toEqual({ version: API_VERSION });
  });
});

describe('proxies', () => {
  const upstream = (): string => `127.0.0.1:${context.echo.port}`;

  it('POST /proxies creates an enabled proxy (201) that listens on the port it reports and forwards', async () => {
    const response = await context.fixture.call('POST', '/proxies', { name: 'redis', listen: '127.0.0.1:0', upstream: upstream() });
    expect(response.status).toBe(201);
    const body = response.json as { listen: string };
    expect(body).toEqual({ name: 'redis', listen: expect.stringMatching(/^127\.0\.0\.1:\d+$/), upstream: upstream(), enabled: true, toxics: [] });
    expect(portOf(body.listen)).toBeGreaterThan(0);
    expect(await echoes(portOf(body.listen))).toBe(true);
  });

  it('POST /proxies with enabled false keeps the proxy without listening', async () => {
    const port = await freePort();
    const response = await context.fixture.call('POST', '/proxies', { name: 'off', listen: `127.0.0.1:${port}`, upstream: upstream(), enabled: false });
    expect(response.status).toBe(201);
    expect(response.json).toMatchObject({ name: 'off', listen: `127.0.0.1:${port}`, enabled: false });
    expect(await refused(port)).toBe(true);
  });

  it('POST /proxies answers 400 for a missing name or upstream, bad JSON, an empty body and wrong types', async () => {
    const cases: [unknown, string][] = [
      [{ upstream: upstream() }, 'missing required field: name'],
      [{ name: 'x' }, 'missing required field: upstream'],
      ['{"name": ', 'bad request body: '],
      ['', 'bad request body: EOF'],
      [{ name: 5, upstream: upstream() }, 'bad request body: name: expected a string, got 5'],
      [{ name: 'x', upstream: upstream(), enabled: 'yes' }, 'bad request body: enabled: expected true or false, got "yes"'],
      [{ name: 'x', upstream: 'nohost' }, 'bad request body: upstream: "nohost" is not allowed; expected host:port'],
      [[1, 2], 'bad request body: expected a proxy as a JSON object, got [1,2]'],
    ];
    for (const [body, error] of cases) {
      const response = await request(context.fixture.api.port, 'POST', '/proxies', { body: body === '' ? ' ' : body });
      expect(response.status, JSON.stringify(body)).toBe(400);
      expect((response.json as { error: string }).error).toContain(error);
      expect(response.json).toMatchObject({ status: 400 });
    }
    expect((await context.fixture.call('GET', '/proxies')).json).toEqual({});
  });

  it('POST /proxies answers 409 for a name that exists', async () => {
    await context.fixture.createProxy('dup', context.echo.port);
    const response = await context.fixture.call('POST', '/proxies', { name: 'dup', listen: '127.0.0.1:0', upstream: upstream() });
    expect(response.status).toBe(409);
    expect(response.json).toEqual({ error: 'proxy already exists', status: 409 });
  });

  it('POST /proxies answers 500 when the listen address is taken, and keeps no proxy', async () => {
    const taken = await context.fixture.createProxy('first', context.echo.port);
    const response = await context.fixture.call('POST', '/proxies', { name: 'second', listen: `127.0.0.1:${taken}`, upstream: upstream() });
    expect(response.status).toBe(500);
    expect(response.json).toMatchObject({ error: expect.stringContaining('EADDRINUSE'), status: 500 });
    expect(Object.keys((await context.fixture.call('GET', '/proxies')).json as object)).toEqual(['first']);
  });

  it('GET /proxies lists the proxies by name, each with its toxics', async () => {
    await context.fixture.createProxy('a', context.echo.port);
    await context.fixture.createProxy('b', context.echo.port);
    await context.fixture.addToxic('b', { type: 'latency', attributes: { latency: 5 } });
    const response = await context.fixture.call('GET', '/proxies');
    expect(response.status).toBe(200);
    const body = response.json as Record<string, { name: string; toxics: unknown[] }>;
    expect(Object.keys(body).sort()).toEqual(['a', 'b']);
    expect(body.a).toMatchObject({ name: 'a', enabled: true, toxics: [] });
    expect(body.b?.toxics).toEqual([{ attributes: { latency: 5, jitter: 0 }, name: 'latency_downstream', type: 'latency', stream: 'downstream', toxicity: 1 }]);
  });

  it('GET /proxies/{proxy} shows one; 404 for an unknown one', async () => {
    await context.fixture.createProxy('one', context.echo.port);
    expect((await context.fixture.call('GET', '/proxies/one')).json).toMatchObject({ name: 'one', upstream: upstream(), enabled: true, toxics: [] });
    const missing = await context.fixture.call('GET', '/proxies/nope');
    expect(missing.status).toBe(404);
    expect(missing.json).toEqual({ error: 'proxy not found', status: 404 });
  });

  it('POST and PATCH /proxies/{proxy} disable (open connections dropped), enable and re-point a proxy', async () => {
    const port = await context.fixture.createProxy('p', context.echo.port);
    const open = await TcpProbe.connect(port);
    await open.roundTrip();

    const disabled = await context.fixture.call('POST', '/proxies/p', { enabled: false });
    expect(disabled.status).toBe(200);
    expect(disabled.json).toMatchObject({ name: 'p', enabled: false, listen: `127.0.0.1:${port}` });
    await open.until('connection dropped', () => open.endedAt !== undefined, 2000);
    open.destroy();
    expect(await refused(port)).toBe(true);

    const enabled = await context.fixture.call('PATCH', '/proxies/p', { enabled: true });
    expect(enabled.json).toMatchObject({ enabled: true, listen: `127.0.0.1:${port}` });
    expect(await echoes(port)).toBe(true);

    const other = await startEchoServer();
    try {
      const repointed = await context.fixture.call('POST', '/proxies/p', { upstream: `127.0.0.1:${other.port}` });
      expect(repointed.json).toMatchObject({ upstream: `127.0.0.1:${other.port}`, enabled: true });
      expect(await echoes(port)).toBe(true);
      expect(other.accepted).toBe(1);
    } finally {
      await other.close();
    }
    expect((await context.fixture.call('POST', '/proxies/p', { enabled: 'no' })).status).toBe(400);
    expect((await context.fixture.call('POST', '/proxies/nope', { enabled: true })).status).toBe(404);
  });

  it('DELETE /proxies/{proxy} answers 204, stops it, and 404 after', async () => {
    const port = await context.fixture.createProxy('gone', context.echo.port);
    const response = await context.fixture.call('DELETE', '/proxies/gone');
    expect(response.status).toBe(204);
    expect(response.text).toBe('');
    expect(await refused(port)).toBe(true);
    expect((await context.fixture.call('DELETE', '/proxies/gone')).json).toEqual({ error: 'proxy not found', status: 404 });
  });
});

describe('toxics', () => {
  beforeEach(async () => {
    await context.fixture.createProxy('p', context.echo.port);
  });

  it("POST /proxies/{proxy}/toxics answers 200 with Toxiproxy's defaults filled in", async () => {
    const response = await context.fixture.call('POST', '/proxies/p/toxics', { type: 'latency' });
    expect(response.status).toBe(200);
    expect(response.json).toEqual({ attributes: { latency: 0, jitter: 0 }, name: 'latency_downstream', type: 'latency', stream: 'downstream', toxicity: 1 });
    const named = await context.fixture.call('POST', '/proxies/p/toxics', { name: 'slow', type: 'bandwidth', stream: 'Upstream', toxicity: 0.25, attributes: { rate: 100, unknown: 1 } });
    expect(named.json).toEqual({ attributes: { rate: 100 }, name: 'slow', type: 'bandwidth', stream: 'upstream', toxicity: 0.25 });
    // Chaos Toolkit sends null for no attributes.
    expect((await context.fixture.call('POST', '/proxies/p/toxics', { name: 'n', type: 'timeout', attributes: null })).json).toMatchObject({ attributes: { timeout: 0 } });
  });

  it('knows every toxic type of the brief, each with its attributes', async () => {
    const attributes = {
      latency: { latency: 1, jitter: 2 },
      bandwidth: { rate: 3 },
      slow_close: { delay: 4 },
      timeout: { timeout: 5 },
      reset_peer: { timeout: 6 },
      slicer: { average_size: 7, size_variation: 1, delay: 8 },
      limit_data: { bytes: 9 },
    };
    for (const [type, attrs] of Object.entries(attributes)) {
      const response = await context.fixture.call('POST', '/proxies/p/toxics', { type, attributes: attrs });
      expect(response.json, type).toMatchObject({ type, name: `${type}_downstream`, attributes: attrs });
    }
  });

  it('answers 400 for a bad stream, type, toxicity or attribute, 409 for a taken name, 404 for an unknown proxy', async () => {
    const bad: [unknown, string][] = [
      [{ type: 'latency', stream: 'sideways' }, 'stream was invalid, can be either upstream or downstream'],
      [{ type: 'down' }, 'invalid toxic type'],
      [{}, 'invalid toxic type'],
      [{ type: 'latency', toxicity: 1.5 }, 'bad request body: toxicity: expected a number from 0 to 1, got 1.5'],
      [{ type: 'latency', attributes: { latency: -1 } }, 'bad request body: attributes.latency: expected an integer from 0 to 2147483647, got -1'],
      [{ type: 'latency', attributes: { latency: 2.5 } }, 'bad request body: attributes.latency: expected an integer'],
      [{ type: 'latency', attributes: { latency: '5' } }, 'bad request body: attributes.latency: expected an integer'],
      [{ type: 'slicer', attributes: { average_size: 10, size_variation: 10 } }, 'bad request body: attributes.size_variation: 10 is not allowed; expected less than average_size (10)'],
      [{ type: 'slicer', attributes: { average_size: 0 } }, 'bad request body: attributes.average_size: 0 is not allowed'],
      [{ type: 'latency', attributes: [1] }, 'bad request body: attributes: expected an object'],
    ];
    for (const [body, error] of bad) {
      const response = await context.fixture.call('POST', '/proxies/p/toxics', body);
      expect(response.status, JSON.stringify(body)).toBe(400);
      expect(response.json, JSON.stringify(body)).toEqual({ error: expect.stringContaining(error), status: 400 });
    }
    await context.fixture.addToxic('p', { type: 'latency' });
    expect((await context.fixture.call('POST', '/proxies/p/toxics', { type: 'latency' })).json).toEqual({ error: 'toxic already exists', status: 409 });
    expect((await context.fixture.call('POST', '/proxies/nope/toxics', { type: 'latency' })).json).toEqual({ error: 'proxy not found', status: 404 });
    expect((await context.fixture.call('GET', '/proxies/p/toxics')).json).toHaveLength(1);
  });

  it('GET /proxies/{proxy}/toxics lists the upstream chain, then the downstream one, each in the order added', async () => {
    await context.fixture.addToxic('p', { name: 'd1', type: 'latency' });
    await context.fixture.addToxic('p', { name: 'u1', type: 'latency', stream: 'upstream' });
    await context.fixture.addToxic('p', { name: 'd2', type: 'bandwidth' });
    await context.fixture.addToxic('p', { name: 'u2', type: 'slicer', stream: 'upstream', attributes: { average_size: 10 } });
    const response = await context.fixture.call('GET', '/proxies/p/toxics');
    expect(response.status).toBe(200);
    expect((response.json as { name: string }[]).map((t) => t.name)).toEqual(['u1', 'u2', 'd1', 'd2']);
    expect((await context.fixture.call('GET', '/proxies/p')).json).toMatchObject({ toxics: [{ name: 'u1' }, { name: 'u2' }, { name: 'd1' }, { name: 'd2' }] });
  });

  it('GET, POST/PATCH and DELETE /proxies/{proxy}/toxics/{toxic}', async () => {
    await context.fixture.addToxic('p', { name: 'lag', type: 'latency', attributes: { latency: 10, jitter: 2 } });
    expect((await context.fixture.call('GET', '/proxies/p/toxics/lag')).json).toEqual({ attributes: { latency: 10, jitter: 2 }, name: 'lag', type: 'latency', stream: 'downstream', toxicity: 1 });

    const updated = await context.fixture.call('POST', '/proxies/p/toxics/lag', { attributes: { latency: 20 } });
    expect(updated.status).toBe(200);
    // Attributes not given keep their value; type, stream and name cannot change.
    expect(updated.json).toEqual({ attributes: { latency: 20, jitter: 2 }, name: 'lag', type: 'latency', stream: 'downstream', toxicity: 1 });
    const patched = await context.fixture.call('PATCH', '/proxies/p/toxics/lag', { toxicity: 0.5, type: 'timeout', stream: 'upstream' });
    expect(patched.json).toEqual({ attributes: { latency: 20, jitter: 2 }, name: 'lag', type: 'latency', stream: 'downstream', toxicity: 0.5 });
    expect((await context.fixture.call('POST', '/proxies/p/toxics/lag', { attributes: { latency: -5 } })).status).toBe(400);

    const removed = await context.fixture.call('DELETE', '/proxies/p/toxics/lag');
    expect(removed.status).toBe(204);
    for (const [method, body] of [['GET', undefined], ['POST', { toxicity: 1 }], ['DELETE', undefined]] as const) {
      const response = await context.fixture.call(method, '/proxies/p/toxics/lag', body);
      expect(response.json, method).toEqual({ error: 'toxic not found', status: 404 });
    }
    expect((await context.fixture.call('GET', '/proxies/nope/toxics/lag')).json).toEqual({ error: 'proxy not found', status: 404 });
  });
});

describe('POST /reset', () => {
  it('answers 204, enables every proxy and removes every toxic', async () => {
    const port = await context.fixture.createProxy('a', context.echo.port);
    await context.fixture.createProxy('b', context.echo.port);
    await context.fixture.addToxic('a', { type: 'timeout' });
    await context.fixture.addToxic('b', { type: 'latency', stream: 'upstream' });
    await context.fixture.call('POST', '/proxies/a', { enabled: false });

    const response = await context.fixture.call('POST', '/reset');
    expect(response.status).toBe(204);
    const proxies = (await context.fixture.call('GET', '/proxies')).json as Record<string, { enabled: boolean; toxics: unknown[] }>;
    expect(proxies.a).toMatchObject({ enabled: true, toxics: [] });
    expect(proxies.b).toMatchObject({ enabled: true, toxics: [] });
    expect(await echoes(port)).toBe(true);
  });
});

describe('POST /populate', () => {
  it('creates the proxies (201 with {proxies}); an identical entry leaves its proxy as it is, a changed one replaces it', async () => {
    const first = await context.fixture.call('POST', '/populate', [
      { name: 'a', listen: '127.0.0.1:0', upstream: `127.0.0.1:${context.echo.port}` },
      { name: 'b', listen: '127.0.0.1:0', upstream: `127.0.0.1:${context.echo.port}`, enabled: false },
    ]);
    expect(first.status).toBe(201);
    const [a, b] = (first.json as { proxies: { name: string; listen: string; enabled: boolean }[] }).proxies;
    expect(a).toMatchObject({ name: 'a', enabled: true, toxics: [] });
    expect(b).toMatchObject({ name: 'b', enabled: false });
    await context.fixture.addToxic('a', { type: 'latency' });

    const other = await startEchoServer();
    try {
      const again = await context.fixture.call('POST', '/populate', [
        { name: 'a', listen: a?.listen, upstream: `127.0.0.1:${context.echo.port}` },
        { name: 'b', listen: '127.0.0.1:0', upstream: `127.0.0.1:${other.port}` },
      ]);
      expect(again.status).toBe(201);
      const [a2, b2] = (again.json as { proxies: { listen: string; toxics: unknown[]; upstream: string; enabled: boolean }[] }).proxies;
      expect(a2).toMatchObject({ listen: a?.listen, toxics: [{ name: 'latency_downstream' }] });
      expect(b2).toMatchObject({ upstream: `127.0.0.1:${other.port}`, enabled: true });
      expect(await echoes(portOf(b2?.listen ?? ''))).toBe(true);
      expect(other.accepted).toBe(1);
    } finally {
      await other.close();
    }
  });

  it('checks every entry before changing anything: 400 naming the entry', async () => {
    const response = await context.fixture.call('POST', '/populate', [
      { name: 'ok', listen: '127.0.0.1:0', upstream: `127.0.0.1:${context.echo.port}` },
      { listen: '127.0.0.1:0', upstream: `127.0.0.1:${context.echo.port}` },
    ]);
    expect(response.status).toBe(400);
    expect(response.json).toEqual({ error: 'missing required field: name at proxy 2', status: 400, proxies: [] });
    expect((await context.fixture.call('GET', '/proxies')).json).toEqual({});
    expect((await context.fixture.call('POST', '/populate', { name: 'x' })).json).toEqual({ error: 'bad request body: expected a JSON array of proxies', status: 400 });
    const twice = { name: 'twice', listen: '127.0.0.1:0', upstream: `127.0.0.1:${context.echo.port}` };
    expect((await context.fixture.call('POST', '/populate', [twice, twice])).json).toEqual({ error: 'bad request body: duplicate proxy name "twice"', status: 400, proxies: [] });
  });
});

describe('the HTTP server', () => {
  it('answers 404 for an unknown path and 405 for a wrong method, as JSON', async () => {
    expect((await context.fixture.call('GET', '/nope')).json).toMatchObject({ status: 404 });
    const wrong = await context.fixture.call('DELETE', '/proxies');
    expect(wrong.status).toBe(405);
    expect(wrong.json).toMatchObject({ status: 405, error: expect.stringContaining('GET, POST') });
  });

  it('refuses browsers (403), as Toxiproxy does', async () => {
    const response = await request(context.fixture.api.port, 'GET', '/version', { headers: { 'user-agent': 'Mozilla/5.0 (X11; Linux x86_64)' } });
    expect(response.status).toBe(403);
    expect(response.text).toBe('User agent not allowed\n');
  });
});

async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}
