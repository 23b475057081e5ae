import { describe, expect, it } from 'vitest';
import { DEFAULT_API_HOST, DEFAULT_API_PORT, parseCliOptions } from './cli-options.ts';

describe('the command line', () => {
  it('defaults to loopback and port 8474', () => {
    expect(parseCliOptions([])).toEqual({ ok: true, options: { host: DEFAULT_API_HOST, port: DEFAULT_API_PORT, config: undefined } });
  });

  it("takes Toxiproxy's flags with one or two dashes, spaced or with =", () => {
    expect(parseCliOptions(['-host', '0.0.0.0', '--port=9000', '-config=/etc/proxies.json'])).toEqual({
      ok: true,
      options: { host: '0.0.0.0', port: 9000, config: '/etc/proxies.json' },
    });
  });

  it('names the problem with a bad argument', () => {
    expect(parseCliOptions(['-port', 'x'])).toMatchObject({ ok: false, help: false, error: '-port: "x" is not allowed; expected an integer from 0 to 65535' });
    expect(parseCliOptions(['-port', '65536'])).toMatchObject({ ok: false });
    expect(parseCliOptions(['-host'])).toMatchObject({ ok: false, error: expect.stringContaining('-host: a value is required') });
    expect(parseCliOptions(['--seed', '1'])).toMatchObject({ ok: false, error: expect.stringContaining('--seed: unknown argument') });
    expect(parseCliOptions(['--help'])).toMatchObject({ ok: false, help: true });
  });
});
