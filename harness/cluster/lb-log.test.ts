import { describe, expect, it } from 'vitest';
import { parseLbAccessLog, parseLbStateEvents } from './lb-log.ts';
import type { LogLine } from '../docker/runtime.ts';

const line = (timestamp: string, text: string, stream: 'stdout' | 'stderr' = 'stdout'): LogLine => ({ timestamp, stream, text });

describe('parseLbStateEvents', () => {
  it('reads up, down, maintenance and address changes once each, in time order', () => {
    const events = parseLbStateEvents([
      line('2026-11-28T21:17:50.243995298Z', '[WARNING]  (8) : app/app2 changed its IP from (none) to 172.18.0.2 by DNS cache.', 'stderr'),
      line('2026-11-28T21:17:50.244004656Z', "[WARNING]  (8) : Server app/app2 ('app') is UP/READY (resolves again).", 'stderr'),
      line('2026-11-28T21:17:58.100000000Z', 'Server app/app2 is DOWN, reason: Layer4 connection problem, info: "Connection refused", check duration: 0ms. 1 active and 0 backup servers left.'),
      line('2026-11-28T21:17:58.100100000Z', '[WARNING]  (8) : Server app/app2 is DOWN, reason: Layer4 connection problem, info: "Connection refused", check duration: 0ms.', 'stderr'),
      line('2026-11-28T21:17:59.527422094Z', 'Server app/app1 is going DOWN for maintenance (No IP for server ). 2 active and 0 backup servers left.'),
      line('2026-11-28T21:18:01.000000000Z', 'Server app/app3 is UP, reason: Layer7 check passed, code: 200, check duration: 1ms.'),
      line('2026-11-28T21:18:01.100000000Z', '{"type":"access","server":"app3"}'),
      line('2026-11-28T21:18:05.000000000Z', "[WARNING]  (8) : Server app/app1 ('app') is UP/READY (resolves again).", 'stderr'),
    ]);
    expect(events.map((e) => [e.slot, e.state, e.address ?? ''])).toEqual([
      ['app2', 'address', '172.18.0.2'],
      ['app2', 'up', ''],
      ['app2', 'down', ''],
      ['app1', 'maint', ''],
      ['app3', 'up', ''],
      ['app1', 'up', ''],
    ]);
    expect(events[2]!.time).toBe(Date.parse('2026-11-28T21:17:58.100Z'));
    expect(events[2]!.reason).toMatch(/^reason: Layer4 connection problem/);
  });
});

describe('parseLbAccessLog', () => {
  it('reads the JSON access records and skips everything else', () => {
    const records = parseLbAccessLog([
      line(
        '2026-11-28T21:17:56.753000000Z',
        '{"type":"access","accept":"28/Nov/2026:21:17:56.753","client":"172.18.0.1:44210","backend":"app","server":"app2","Tq":0,"Tw":0,"Tc":0,"Tr":4,"Ta":4,"status":401,"bytes":203,"termination":"--DI","retries":"0","method":"GET","path":"/cart"}',
      ),
      line('2026-11-28T21:17:56.800000000Z', 'Server app/app1 is UP'),
      line('2026-11-28T21:17:56.900000000Z', '{"type":"access","server":'),
    ]);
    expect(records).toEqual([
      { time: Date.parse('2026-11-28T21:17:56.753Z'), server: 'app2', status: 401, method: 'GET', path: '/cart', totalMs: 4, termination: '--DI' },
    ]);
  });
});
