import { createServer, type AddressInfo, type Server } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { AddressBook } from './address-book.ts';
import { parseTimestamp } from './lb-log.ts';
import { LoadBalancer } from './load-balancer.ts';

const STATE = `1
# be_id be_name srv_id srv_name srv_addr srv_op_state srv_admin_state srv_uweight srv_iweight srv_time_since_last_change
3 app 1 app1 172.18.0.2 2 0 1 1 12
3 app 2 app2 - 0 32 1 1 40
`;
const STAT = `# pxname,svname,req_tot,status,addr,
web,FRONTEND,42,OPEN,,
app,app1,40,UP,172.18.0.2:8080,
app,app2,2,UP,172.18.0.9:8080,
app,BACKEND,42,UP,,
`;
const RING = [
  '<133>1 2026-12-01T23:38:32.100000+00:00 - haproxy 8 - - app/app1 changed its IP from (none) to 172.18.0.2 by DNS cache.',
  "<133>1 2026-12-01T23:38:32.305735+00:00 - haproxy 8 - - Server app/app1 ('app') is UP/READY (resolves again).",
];

/** HAProxy's runtime API as far as the adapter asks it: server state, counters, and its event ring. */
async function fakeRuntimeApi(): Promise<{ server: Server; port: number }> {
  const server = createServer((socket) => {
    socket.once('data', (chunk) => {
      const command = chunk.toString().trim();
      if (command === 'show events events -w') socket.write(RING.map((line) => `${line}\n`).join(''));
      else socket.end(command === 'show servers state app' ? STATE : command === 'show stat' ? STAT : '');
    });
    socket.on('error', () => undefined);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, port: (server.address() as AddressInfo).port };
}

let stop: () => void = () => undefined;
afterEach(() => stop());

async function loadBalancer(): Promise<LoadBalancer> {
  const { server, port } = await fakeRuntimeApi();
  const addresses = new AddressBook();
  addresses.record('172.18.0.2', 'app-1', 0);
  const lb = await LoadBalancer.follow({ containerName: 'harness-r1-lb', host: '127.0.0.1', runtimeApiPort: port, addresses, now: () => 5000 });
  stop = () => {
    lb.stop();
    server.close();
  };
  return lb;
}

describe('LoadBalancer', () => {
  it('maps each server slot to the replica holding its address', async () => {
    const lb = await loadBalancer();
    expect(await lb.servers()).toEqual([
      { slot: 'app1', address: '172.18.0.2', up: true, operationalState: 2, adminState: 0, secondsSinceChange: 12, replica: 'app-1', readAt: 5000 },
      { slot: 'app2', address: undefined, up: false, operationalState: 0, adminState: 32, secondsSinceChange: 40, replica: undefined, readAt: 5000 },
    ]);
  });

  it('counts requests per replica it knows, from its counters', async () => {
    const lb = await loadBalancer();
    expect(await lb.requestCounts()).toEqual({ 'app-1': 40 });
  });

  it('gives the time its own log says it marked a replica up, and names its container when that never comes', async () => {
    const lb = await loadBalancer();
    await expect(lb.waitFor('app-1', 'up', { timeoutMs: 2000 })).resolves.toBeCloseTo(parseTimestamp('2026-12-01T23:38:32.305735Z')!, 6);
    expect(lb.stateEvents().map((e) => [e.state, e.replica])).toEqual([
      ['address', 'app-1'],
      ['up', 'app-1'],
    ]);
    await expect(lb.waitFor('app-2', 'up', { timeoutMs: 100 })).rejects.toMatchObject({
      code: 'E_LB_TIMEOUT',
      message: 'The load balancer did not mark app-2 up within 100 ms.',
      hint: 'See the load balancer log: `docker logs harness-r1-lb`.',
    });
  });
});
