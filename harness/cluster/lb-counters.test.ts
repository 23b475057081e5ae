import { describe, expect, it } from 'vitest';
import { parseLogSinks, parseStats } from './lb-counters.ts';

// HAProxy 2.6's `show stat` header, and rows cut to the columns read here (the parser goes by name).
const COLUMNS = ['pxname', 'svname', 'stot', 'ereq', 'econ', 'eresp', 'wretr', 'wredis', 'status', 'hrsp_1xx', 'hrsp_2xx', 'hrsp_3xx', 'hrsp_4xx', 'hrsp_5xx', 'hrsp_other', 'req_tot', 'cli_abrt', 'srv_abrt', 'addr', 'conn_tot'];
const row = (values: Record<string, string | number>): string => COLUMNS.map((c) => String(values[c] ?? '')).join(',');
const CSV = [
  `# ${COLUMNS.join(',')},`,
  row({ pxname: 'web', svname: 'FRONTEND', stot: 26, ereq: 1, status: 'OPEN', hrsp_2xx: 4121, hrsp_5xx: 2, req_tot: 4127, conn_tot: 26 }),
  row({ pxname: 'app', svname: 'app1', stot: 20, econ: 0, eresp: 0, status: 'UP', hrsp_2xx: 1651, req_tot: 1651, addr: '192.168.80.3:8080' }),
  row({ pxname: 'app', svname: 'app2', econ: 3, eresp: 6, wretr: 3, wredis: 16, status: 'UP', hrsp_2xx: 630, req_tot: 630, srv_abrt: 6, addr: '192.168.80.6:8080' }),
  row({ pxname: 'app', svname: 'app5', status: 'MAINT (resolution)' }),
  row({ pxname: 'app', svname: 'BACKEND', econ: 3, eresp: 6, wretr: 3, wredis: 16, status: 'UP', hrsp_2xx: 4121, hrsp_5xx: 2, req_tot: 4127, cli_abrt: 1, srv_abrt: 6 }),
  row({ pxname: 'other', svname: 'BACKEND', req_tot: 99 }),
  '',
].join('\n');

describe('parseStats', () => {
  it('reads the frontend, the backend and each server slot by column name', () => {
    const stats = parseStats(CSV, 'web', 'app');
    expect(stats.frontend).toEqual({
      requests: 4127,
      responses: { '1xx': 0, '2xx': 4121, '3xx': 0, '4xx': 0, '5xx': 2, other: 0 },
      requestErrors: 1,
      connections: 26,
    });
    expect(stats.backend).toMatchObject({ requests: 4127, connectionErrors: 3, responseErrors: 6, retries: 3, redispatches: 16, clientAborts: 1, serverAborts: 6 });
    expect(stats.servers.map((s) => [s.slot, s.address, s.status, s.requests])).toEqual([
      ['app1', '192.168.80.3', 'UP', 1651],
      ['app2', '192.168.80.6', 'UP', 630],
      ['app5', null, 'MAINT (resolution)', 0],
    ]);
    expect(stats.servers[1]).toMatchObject({ connectionErrors: 3, responseErrors: 6, serverAborts: 6, responses: { '2xx': 630 } });
  });

  it('returns nothing for an answer without a header', () => {
    expect(parseStats('Unknown command.\n', 'web', 'app')).toEqual({ frontend: undefined, backend: undefined, servers: [] });
  });
});

describe('parseLogSinks', () => {
  it('reads each log target with the lines it dropped', () => {
    const text = [
      'Supported events sinks are listed below. Add -w(wait), -n(new). Any key to stop',
      '    stdout     : type=fd, 12 dropped, standard output (fd#1)',
      '    stderr     : type=fd, 0 dropped, standard output (fd#2)',
      '    buf0       : type=buffer, 0 dropped, in-memory ring buffer',
      '    events     : type=buffer, 0 dropped, every log line',
      '',
    ].join('\n');
    expect(parseLogSinks(text)).toEqual([
      { name: 'stdout', type: 'fd', dropped: 12 },
      { name: 'stderr', type: 'fd', dropped: 0 },
      { name: 'buf0', type: 'buffer', dropped: 0 },
      { name: 'events', type: 'buffer', dropped: 0 },
    ]);
  });
});
