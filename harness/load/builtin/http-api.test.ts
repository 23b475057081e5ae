import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pointsOf, runScript, startTestServer, type CapturedRun, type TestServer } from './testkit.ts';

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(async () => {
  await server.close();
});

/** Every check in the run, by name: passes and fails. */
function checkResults(run: CapturedRun): Map<string, { pass: number; fail: number }> {
  const out = new Map<string, { pass: number; fail: number }>();
  for (const p of pointsOf(run, 'checks')) {
    const name = p.tags['check']!;
    const entry = out.get(name) ?? { pass: 0, fail: 0 };
    if (p.value === 1) entry.pass++;
    else entry.fail++;
    out.set(name, entry);
  }
  return out;
}

function expectAllChecksPass(run: CapturedRun, names: string[]): void {
  const results = checkResults(run);
  const failing = [...results].filter(([, r]) => r.fail > 0).map(([n]) => n);
  expect(failing, run.stderr).toEqual([]);
  for (const name of names) expect(results.has(name), `check "${name}" ran`).toBe(true);
}

describe('k6/http in the built-in engine', () => {
  it('supports the request methods, bodies, headers, json selectors and the Response fields', async () => {
    const run = await runScript({
      'script.js': `
import http from 'k6/http';
import { check } from 'k6';
export default function () {
  const base = __ENV.BASE;
  const r = http.get(base + '/json');
  check(r, {
    'status 200': (x) => x.status === 200,
    'canonical header': (x) => x.headers['X-Replica'] === 'replica-1',
    'json selector path': (x) => x.json('a.b') === 'deep',
    'json selector index': (x) => x.json('items.1.name') === 'b',
    'json selector length': (x) => x.json('items.#') === 2,
    'json selector missing': (x) => x.json('nope.x') === undefined,
    'json whole': (x) => x.json().count === 2,
    'timings': (x) => x.timings.duration >= 0 && x.timings.waiting >= 0 && typeof x.timings.blocked === 'number',
    'url and proto': (x) => x.url === base + '/json' && x.proto === 'HTTP/1.1',
    'request recorded': (x) => x.request.method === 'GET',
    'no error': (x) => x.error === '' && x.error_code === 0,
  });
  check(http.get(base + '/json').json('items').length, { 'direct member on call result': (n) => n === 2 });
  const post = http.post(base + '/echo', JSON.stringify({ a: 1 }), { headers: { 'Content-Type': 'application/json' } });
  check(post, { 'post body': (x) => x.json('body') === '{"a":1}' && x.json('method') === 'POST' });
  check(http.post(base + '/echo', { a: '1', b: 'x y' }), { 'form body': (x) => x.json('body') === 'a=1&b=x+y' && x.json('contentType') === 'application/x-www-form-urlencoded' });
  check(http.put(base + '/echo', 'p'), { put: (x) => x.json('method') === 'PUT' });
  check(http.patch(base + '/echo', 'p'), { patch: (x) => x.json('method') === 'PATCH' });
  check(http.del(base + '/echo'), { del: (x) => x.json('method') === 'DELETE' });
  check(http.options(base + '/echo'), { options: (x) => x.json('method') === 'OPTIONS' });
  check(http.head(base + '/ok'), { head: (x) => x.status === 200 && x.body === '' });
  check(http.request('GET', base + '/ok'), { request: (x) => x.body === 'ok' });
  check(http.get(base + '/headers', { headers: { 'X-Custom': 'v' } }), { 'custom header and user agent': (x) => x.json('x-custom') === 'v' && x.json('user-agent').startsWith('k6/') });
  const batch = http.batch([base + '/ok', ['POST', base + '/echo', 'b'], { method: 'GET', url: base + '/status/404' }]);
  check(batch, { 'batch array': (b) => b.length === 3 && b[0].body === 'ok' && b[1].json('method') === 'POST' && b[2].status === 404 });
  const named = http.batch({ first: base + '/ok', second: base + '/json' });
  check(named, { 'batch object': (b) => b.first.status === 200 && b.second.json('count') === 2 });
  check(http.get(base + '/redirect/3'), { 'redirects followed': (x) => x.status === 200 && x.url === base + '/ok' });
  check(http.get(base + '/redirect/3', { redirects: 1 }), { 'redirect limit': (x) => x.status === 302 });
  check(http.get(base + '/ok', { responseType: 'none' }), { 'responseType none': (x) => x.body === null });
  check(http.get(base + '/ok', { responseType: 'binary' }), { 'responseType binary': (x) => x.body instanceof ArrayBuffer && x.body.byteLength === 2 });
  check(http.get(base + '/status/503'), { 'status error code': (x) => x.status === 503 && x.error_code === 1503 });
  check(http.get(http.url\`\${base}/status/\${201}\`), { 'http.url': (x) => x.status === 201 });
  const codes = [base + '/ok', base + '/json'].map((u) => http.get(u).status).filter((s) => s === 200);
  check(codes, { 'callbacks through map/filter': (c) => c.length === 2 });
}
`,
    }, { env: { BASE: server.base } });
    expect(run.result.exitCode).toBe(0);
    expectAllChecksPass(run, ['status 200', 'json selector path', 'direct member on call result', 'batch object', 'http.url', 'callbacks through map/filter', 'redirect limit']);
    const reqs = pointsOf(run, 'http_reqs');
    const tagged = reqs.find((p) => p.tags['url'] === `${server.base}/json`)!;
    expect(Object.keys(tagged.tags).sort()).toEqual(['expected_response', 'group', 'method', 'name', 'proto', 'scenario', 'status', 'url']);
    expect(tagged.tags).toMatchObject({ method: 'GET', status: '200', proto: 'HTTP/1.1', scenario: 'default', group: '', expected_response: 'true', name: `${server.base}/json` });
    const failed = reqs.find((p) => p.tags['status'] === '503')!;
    expect(failed.tags).toMatchObject({ error_code: '1503', expected_response: 'false' });
    const templated = reqs.find((p) => p.tags['status'] === '201')!;
    expect(templated.tags['name']).toBe('${}/status/${}');
    // Every hop of a redirect is its own request, as in k6.
    expect(reqs.filter((p) => p.tags['url']?.includes('/redirect/')).length).toBe(5);
  });

  it('keeps one cookie jar per VU and honours request cookies and http.cookieJar()', async () => {
    const run = await runScript({
      'script.js': `
import http from 'k6/http';
import { check } from 'k6';
import exec from 'k6/execution';
export const options = { vus: 3, iterations: 3 };
export default function () {
  const base = __ENV.BASE;
  const login = http.post(base + '/login');
  check(login, { 'set-cookie parsed': (r) => r.cookies.sid[0].value === login.json('sid') && r.cookies.sid[0].http_only === true });
  const me = http.get(base + '/whoami');
  check(me, { 'jar sends own sid': (r) => r.json('sid') === login.json('sid') });
  const jar = http.cookieJar();
  check(jar.cookiesForURL(base + '/'), { 'cookiesForURL': (c) => c.sid[0] === login.json('sid') && c.theme[0] === 'dark' });
  jar.set(base + '/', 'extra', 'vu' + exec.vu.idInTest);
  check(http.get(base + '/whoami'), { 'jar.set cookie sent': (r) => r.json('cookie').includes('extra=vu' + exec.vu.idInTest) });
  check(http.get(base + '/whoami', { cookies: { extra: { value: 'override', replace: true } } }), { 'request cookie replaces': (r) => r.json('cookie').includes('extra=override') && !r.json('cookie').includes('extra=vu') });
  jar.clear(base + '/');
  check(http.get(base + '/whoami'), { 'jar cleared': (r) => r.json('sid') === null });
}
`,
    }, { env: { BASE: server.base } });
    expect(run.result.exitCode).toBe(0);
    expectAllChecksPass(run, ['jar sends own sid', 'cookiesForURL', 'jar.set cookie sent', 'request cookie replaces', 'jar cleared']);
    expect(pointsOf(run, 'iterations').length).toBe(3);
  });

  it('bounds a hanging request by its timeout and reports k6 error codes', async () => {
    const closed = await startTestServer();
    const closedBase = closed.base;
    await closed.close();
    const run = await runScript({
      'script.js': `
import http from 'k6/http';
import { check } from 'k6';
export default function () {
  const r = http.get(__ENV.BASE + '/hang', { timeout: '500ms' });
  check(r, { 'timeout error': (x) => x.status === 0 && x.error_code === 1050 && x.error !== '' });
  const refused = http.get(__ENV.CLOSED + '/ok');
  check(refused, { 'connection refused': (x) => x.status === 0 && x.error_code === 1212 && x.error.includes('connection refused') });
}
`,
    }, { env: { BASE: server.base, CLOSED: closedBase } });
    expect(run.result.exitCode).toBe(0);
    expectAllChecksPass(run, ['timeout error', 'connection refused']);
    expect(run.elapsedMs).toBeLessThan(10_000);
    const failed = pointsOf(run, 'http_req_failed').filter((p) => p.value === 1);
    expect(failed.length).toBe(2);
    expect(failed.every((p) => p.tags['error'] !== undefined && p.tags['error_code'] !== undefined)).toBe(true);
    expect(run.stderr).toContain('Request Failed');
  });

  it('applies expectedStatuses and setResponseCallback to http_req_failed', async () => {
    const run = await runScript({
      'script.js': `
import http from 'k6/http';
http.setResponseCallback(http.expectedStatuses(200, { min: 404, max: 404 }));
export default function () {
  http.get(__ENV.BASE + '/status/404');
  http.get(__ENV.BASE + '/status/500');
  http.get(__ENV.BASE + '/status/404', { responseCallback: http.expectedStatuses(500) });
}
`,
    }, { env: { BASE: server.base } });
    const failed = pointsOf(run, 'http_req_failed').map((p) => `${p.tags['status']}:${p.value}`);
    expect(failed).toEqual(['404:0', '500:1', '404:1']);
  });
});
