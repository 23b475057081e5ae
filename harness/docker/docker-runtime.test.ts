import type Docker from 'dockerode';
import { describe, expect, it } from 'vitest';
import { HarnessError } from '../core/errors.ts';
import { DockerRuntime, demuxLogs } from './docker-runtime.ts';
import { RUNTIME_ERRORS, type ContainerSpec } from './runtime.ts';

function frame(stream: 1 | 2, text: string): Buffer {
  const payload = Buffer.from(text, 'utf8');
  const header = Buffer.alloc(8);
  header[0] = stream;
  header.writeUInt32BE(payload.length, 4);
  return Buffer.concat([header, payload]);
}

describe('demuxLogs', () => {
  it('splits Docker log frames into timestamped lines per stream', () => {
    const buffer = Buffer.concat([
      frame(1, '2026-11-28T21:00:00.000000001Z {"event":"ready"}\n'),
      frame(2, '2026-11-28T21:00:00.000000002Z warning one\n2026-11-28T21:00:00.000000003Z warning two\n'),
    ]);
    expect(demuxLogs(buffer)).toEqual([
      { timestamp: '2026-11-28T21:00:00.000000001Z', stream: 'stdout', text: '{"event":"ready"}' },
      { timestamp: '2026-11-28T21:00:00.000000002Z', stream: 'stderr', text: 'warning one' },
      { timestamp: '2026-11-28T21:00:00.000000003Z', stream: 'stderr', text: 'warning two' },
    ]);
  });
});

/** An error as docker-modem makes it: the engine's words in `json.message`, and the status code. */
function engineFailure(statusCode: number, said: string): Error {
  return Object.assign(new Error(`(HTTP code ${statusCode}) unexpected - ${said} `), { statusCode, json: { message: said } });
}

/** A dockerode whose container and network calls fail as `failure` says (by method name); the rest succeed. */
function fakeDocker(failure: Record<string, Error> = {}): Docker {
  const call = (method: string) => async () => {
    if (failure[method]) throw failure[method];
    return undefined;
  };
  const container = { id: 'c0ffee', kill: call('kill'), stop: call('stop'), remove: call('remove'), start: call('start') };
  return {
    createContainer: async () => container,
    getContainer: () => container,
    getNetwork: () => ({ connect: call('connect'), disconnect: call('disconnect') }),
    getImage: () => ({ inspect: call('inspectImage') }),
  } as unknown as Docker;
}

const spec: ContainerSpec = { name: 'harness-r1-app-2', image: 'app', labels: {}, network: 'harness-r1', memoryBytes: 1, nanoCpus: 1 };

describe('DockerRuntime errors', () => {
  it("names the operation and the container, with the engine's own words and its error as the cause", async () => {
    const cause = engineFailure(409, 'cannot kill container: c0ffee: container c0ffee is not running');
    const runtime = new DockerRuntime(fakeDocker({ kill: cause }));
    const id = await runtime.createContainer(spec);
    const error = await runtime.killContainer(id).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(HarnessError);
    expect(error).toMatchObject({
      code: RUNTIME_ERRORS.engine,
      message: 'kill harness-r1-app-2: cannot kill container: c0ffee: container c0ffee is not running',
      cause,
    });
  });

  it('names a container it never saw by the id it was given, and keeps a message without engine words', async () => {
    const runtime = new DockerRuntime(fakeDocker({ start: new Error('connect ENOENT /var/run/docker.sock') }));
    await expect(runtime.startContainer('deadbeef')).rejects.toMatchObject({
      code: RUNTIME_ERRORS.engine,
      message: 'start deadbeef: connect ENOENT /var/run/docker.sock',
    });
  });

  it('gives joining a network twice, and leaving one not joined, codes of their own', async () => {
    const runtime = new DockerRuntime(
      fakeDocker({
        connect: engineFailure(403, 'endpoint with name harness-r1-app-2 already exists in network harness-r1-front'),
        disconnect: engineFailure(500, 'container c0ffee is not connected to network harness-r1-front'),
      }),
    );
    const id = await runtime.createContainer(spec);
    await expect(runtime.connectNetwork(id, 'harness-r1-front', ['app'])).rejects.toMatchObject({
      code: RUNTIME_ERRORS.alreadyOnNetwork,
      message: 'connect harness-r1-app-2 to harness-r1-front: endpoint with name harness-r1-app-2 already exists in network harness-r1-front',
    });
    await expect(runtime.disconnectNetwork(id, 'harness-r1-front')).rejects.toMatchObject({ code: RUNTIME_ERRORS.notOnNetwork });
  });

  it('any other failure to join a network is an engine error', async () => {
    const runtime = new DockerRuntime(fakeDocker({ connect: engineFailure(404, 'network harness-r1-front not found') }));
    await expect(runtime.connectNetwork('c0ffee', 'harness-r1-front', [])).rejects.toMatchObject({ code: RUNTIME_ERRORS.engine });
  });

  it('still ignores what is already gone or already stopped, and an image that is not there', async () => {
    const runtime = new DockerRuntime(
      fakeDocker({ remove: engineFailure(404, 'No such container: c0ffee'), stop: engineFailure(304, ''), inspectImage: engineFailure(404, 'No such image: x:1') }),
    );
    await expect(runtime.removeContainer('c0ffee')).resolves.toBeUndefined();
    await expect(runtime.stopContainer('c0ffee', 10)).resolves.toBeUndefined();
    await expect(runtime.findImage('x:1')).resolves.toBeUndefined();
  });
});
