import { describe, expect, it } from 'vitest';
import {
  formatLbLogLine,
  formatTimestamp,
  parseLbAccessLog,
  parseLbLog,
  parseLbStateEvents,
  parseRingLine,
  parseTimestamp,
  type LbLogLine,
} from './lb-log.ts';

const at = (iso: string, text: string): LbLogLine => ({ time: parseTimestamp(iso)!, text });

describe('HAProxy timestamps', () => {
  it('keep the microseconds Date.parse drops, in UTC whatever the offset', () => {
    expect(parseTimestamp('2026-12-01T23:38:25.329570+00:00')).toBeCloseTo(Date.parse('2026-12-01T23:38:25.329Z') + 0.57, 6);
    expect(parseTimestamp('2026-12-01T23:38:25.329570+01:00')).toBeCloseTo(Date.parse('2026-12-01T22:38:25.329Z') + 0.57, 6);
    expect(parseTimestamp('2026-12-01T23:38:25Z')).toBe(Date.parse('2026-12-01T23:38:25Z'));
    expect(parseTimestamp('yesterday')).toBeUndefined();
  });

  it('print as UTC with microseconds, and read back the same', () => {
    const time = parseTimestamp('2026-12-01T23:38:25.329570+00:00')!;
    expect(formatTimestamp(time)).toBe('2026-12-01T23:38:25.329570Z');
    expect(parseTimestamp(formatTimestamp(time))).toBeCloseTo(time, 6);
    expect(formatTimestamp(Date.parse('2026-12-01T23:38:25.001Z'))).toBe('2026-12-01T23:38:25.001000Z');
  });
});

describe('parseRingLine', () => {
  it('reads an RFC 5424 line of `show events` into HAProxy\'s time and the message', () => {
    const line = parseRingLine('<133>1 2026-12-01T23:38:32.305735+00:00 - haproxy 8 - - Server app/app1 is UP/READY (leaving forced maintenance).');
    expect(line).toEqual({ time: parseTimestamp('2026-12-01T23:38:32.305735Z'), text: 'Server app/app1 is UP/READY (leaving forced maintenance).' });
    expect(parseRingLine('<134>1 2026-12-01T23:38:25.329570+00:00 - haproxy 8 - - {"type":"access","s":"app1"}')?.text).toBe('{"type":"access","s":"app1"}');
  });

  it('ignores what is not a log line', () => {
    expect(parseRingLine('')).toBeUndefined();
    expect(parseRingLine('Unknown command.')).toBeUndefined();
    expect(parseRingLine('<134>1 not-a-time - haproxy 8 - - x')).toBeUndefined();
  });
});

describe('lb.log', () => {
  it('is one `<timestamp> <message>` line per log line, read back unchanged', () => {
    const lines = [at('2026-12-01T23:38:25.329570Z', '{"type":"access"}'), at('2026-12-01T23:38:26.000001Z', 'Server app/app2 is DOWN, reason: x')];
    const text = lines.map((l) => `${formatLbLogLine(l)}\n`).join('');
    expect(text.split('\n')[0]).toBe('2026-12-01T23:38:25.329570Z {"type":"access"}');
    const back = parseLbLog(text);
    expect(back.map((l) => l.text)).toEqual(lines.map((l) => l.text));
    back.forEach((l, i) => expect(l.time).toBeCloseTo(lines[i]!.time, 6));
  });
});

describe('parseLbStateEvents', () => {
  it('reads up, down, maintenance and address changes in the order HAProxy logged them, each once', () => {
    const events = parseLbStateEvents([
      at('2026-11-28T21:17:50.243995Z', 'app/app2 changed its IP from (none) to 172.18.0.2 by DNS cache.'),
      at('2026-11-28T21:17:50.244004Z', "Server app/app2 ('app') is UP/READY (resolves again)."),
      at('2026-11-28T21:17:50.244010Z', 'Server app/app2 administratively READY thanks to valid DNS answer.'),
      at('2026-11-28T21:17:58.100000Z', 'Server app/app2 is DOWN, reason: Layer4 connection problem, info: "Connection refused", check duration: 0ms. 1 active and 0 backup servers left.'),
      at('2026-11-28T21:17:59.527422Z', 'Server app/app1 is going DOWN for maintenance (No IP for server ). 2 active and 0 backup servers left.'),
      at('2026-11-28T21:18:01.000000Z', 'Server app/app3 is UP, reason: Layer7 check passed, code: 200, check duration: 1ms.'),
      at('2026-11-28T21:18:01.100000Z', '{"type":"access","server":"app3"}'),
      at('2026-11-28T21:18:05.000000Z', "Server app/app1 ('app') is UP/READY (resolves again)."),
      at('2026-11-28T21:18:05.000100Z', "Server app/app1 ('app') is UP/READY (resolves again)."),
    ]);
    expect(events.map((e) => [e.slot, e.state, e.address ?? ''])).toEqual([
      ['app2', 'address', '172.18.0.2'],
      ['app2', 'up', ''],
      ['app2', 'down', ''],
      ['app1', 'maint', ''],
      ['app3', 'up', ''],
      ['app1', 'up', ''],
      ['app1', 'up', ''],
    ]);
    expect(events[2]!.time).toBeCloseTo(Date.parse('2026-11-28T21:17:58.100Z'), 6);
    expect(events[2]!.reason).toMatch(/^reason: Layer4 connection problem/);
  });
});

describe('parseLbAccessLog', () => {
  it('reads the JSON access records and skips everything else', () => {
    const records = parseLbAccessLog([
      at(
        '2026-11-28T21:17:56.753000Z',
        '{"type":"access","accept":"28/Nov/2026:21:17:56.753","client":"172.18.0.1:44210","backend":"app","server":"app2","Tq":0,"Tw":0,"Tc":0,"Tr":4,"Ta":4,"status":401,"bytes":203,"termination":"--DI","retries":"0","method":"GET","path":"/cart"}',
      ),
      at('2026-11-28T21:17:56.800000Z', 'Server app/app1 is UP'),
      at('2026-11-28T21:17:56.900000Z', '{"type":"access","server":'),
    ]);
    expect(records).toEqual([
      { time: Date.parse('2026-11-28T21:17:56.753Z'), server: 'app2', status: 401, method: 'GET', path: '/cart', totalMs: 4, termination: '--DI' },
    ]);
  });
});
