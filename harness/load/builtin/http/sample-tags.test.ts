/**
 * HTTP sample tags when one VU's requests alternate: the tags of a repeated request are reused,
 * so each change (URL, status, group, per-request tags, VU tags) must still show in the next sample.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pointsOf, runScript, startTestServer, type TestServer } from '../testkit.ts';

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(async () => {
  await server.close();
});

describe('HTTP sample tags across consecutive requests', () => {
  it('follow every change between one request and the next', async () => {
    const run = await runScript({
      'script.js': `
import http from 'k6/http';
import { group } from 'k6';
import exec from 'k6/execution';
export const options = { iterations: 1 };
export default function () {
  http.get(__ENV.BASE + '/ok');
  http.get(__ENV.BASE + '/ok');
  http.get(__ENV.BASE + '/status/404');
  http.get(__ENV.BASE + '/ok');
  group('g', () => { http.get(__ENV.BASE + '/ok'); });
  http.get(__ENV.BASE + '/ok', { tags: { extra: 'x' } });
  http.get(__ENV.BASE + '/ok');
  exec.vu.tags['mine'] = 'y';
  http.get(__ENV.BASE + '/ok');
  http.get(http.url\`\${__ENV.BASE}/ok?id=\${1}\`);
}
`,
    }, { env: { BASE: server.base } });
    expect(run.result.exitCode).toBe(0);
    const seen = pointsOf(run, 'http_reqs').map((p) => ({
      url: p.tags['url']!.replace(server.base, ''),
      name: p.tags['name']!.replace(server.base, ''),
      status: p.tags['status'],
      group: p.tags['group'],
      expected: p.tags['expected_response'],
      errorCode: p.tags['error_code'],
      extra: p.tags['extra'],
      mine: p.tags['mine'],
    }));
    const ok = { url: '/ok', name: '/ok', status: '200', group: '', expected: 'true', errorCode: undefined, extra: undefined, mine: undefined };
    expect(seen).toEqual([
      ok,
      ok,
      { ...ok, url: '/status/404', name: '/status/404', status: '404', expected: 'false', errorCode: '1404' },
      ok,
      { ...ok, group: '::g' },
      { ...ok, extra: 'x' },
      ok,
      { ...ok, mine: 'y' },
      { ...ok, url: '${}/ok?id=${}', name: '${}/ok?id=${}', mine: 'y' },
    ]);
  });
});
