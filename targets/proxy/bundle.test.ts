/**
 * An image runs one esbuild bundle of main.ts: build it, start it with `node` as a child process,
 * and check it serves the API, proxies, takes -config, and stops cleanly on SIGTERM. APP_TEST_NODE
 * names another node binary to run it with (e.g. Debian's Node 18, as in the image).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { request } from '../app/test-support/http-client.ts';
import { bundleProxy } from './bundle.ts';
import { startEchoServer, type LocalServer } from './test-support/local-servers.ts';
import { TcpProbe } from './test-support/tcp-probe.ts';

const nodeBinary = process.env.APP_TEST_NODE ?? process.execPath;

interface Running {
  child: ChildProcess;
  stderr: () => string;
  exited: Promise<number | null>;
  /** The `listening` line's port. */
  port: Promise<number>;
}

describe('bundle', () => {
  let dir: string;
  let bundle: string;
  let echo: LocalServer;
  const children: ChildProcess[] = [];

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'proxy-bundle-'));
    bundle = join(dir, 'proxy.cjs');
    await bundleProxy(bundle);
    echo = await startEchoServer();
  });
  afterEach(() => {
    for (const child of children.splice(0)) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  });
  afterAll(async () => {
    await echo?.close();
    if (dir !== undefined) await rm(dir, { recursive: true, force: true });
  });

  function run(args: readonly string[]): Running {
    const child = spawn(nodeBinary, [bundle, ...args], { cwd: dir, env: { PATH: process.env.PATH ?? '/usr/bin:/bin' }, stdio: ['ignore', 'pipe', 'pipe'] });
    children.push(child);
    let stdout = '';
    let stderr = '';
    child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const port = new Promise<number>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no listening line within 10 s; stdout ${stdout} stderr ${stderr}`)), 10_000);
      child.stdout?.on('data', (chunk: Buffer) => {
        stdout += chunk.toString();
        const line = stdout.split('\n').find((l) => l.includes('"event":"listening"'));
        if (line === undefined) return;
        clearTimeout(timer);
        resolve((JSON.parse(line) as { port: number }).port);
      });
    });
    port.catch(() => undefined);
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    return { child, stderr: () => stderr, exited, port };
  }

  const within = <T>(promise: Promise<T>, ms: number): Promise<T> =>
    Promise.race([promise, new Promise<never>((_, reject) => setTimeout(() => reject(new Error(`not within ${ms} ms`)), ms))]);

  it('serves the API and proxies from the bundle, with the proxies of -config, and exits 0 on SIGTERM', async () => {
    const config = join(dir, 'proxies.json');
    await writeFile(config, JSON.stringify([{ name: 'echo', listen: '127.0.0.1:0', upstream: `127.0.0.1:${echo.port}` }]));
    const proxy = run(['-host', '127.0.0.1', '-port', '0', '-config', config]);
    const apiPort = await proxy.port;

    expect((await request(apiPort, 'GET', '/version')).status).toBe(200);
    const listed = (await request(apiPort, 'GET', '/proxies')).json as Record<string, { listen: string }>;
    const port = Number(listed.echo?.listen.split(':').pop());
    const probe = await TcpProbe.connect(port);
    await probe.roundTrip();
    expect((await request(apiPort, 'POST', '/proxies/echo/toxics', { body: { type: 'latency', attributes: { latency: 100 } } })).status).toBe(200);
    expect(await probe.roundTrip()).toBeGreaterThanOrEqual(90);
    probe.destroy();

    proxy.child.kill('SIGTERM');
    expect(await within(proxy.exited, 10_000)).toBe(0);
    expect(proxy.stderr()).toBe('');
  });

  it('exits 2 naming the problem for a bad flag or a bad -config', async () => {
    const badFlag = run(['-port', 'x']);
    expect(await within(badFlag.exited, 10_000)).toBe(2);
    expect(badFlag.stderr()).toContain('-port: "x" is not allowed');

    const config = join(dir, 'bad.json');
    await writeFile(config, JSON.stringify([{ name: 'no-upstream' }]));
    const badConfig = run(['-port', '0', '-config', config]);
    expect(await within(badConfig.exited, 10_000)).toBe(2);
    expect(badConfig.stderr()).toContain('missing required field: upstream at proxy 1');
  });
});
