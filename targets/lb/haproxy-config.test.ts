import { describe, expect, it } from 'vitest';
import { DEFAULT_LB_PORTS, EVENT_RING, haproxyConfig, type HaproxyConfigInput } from './haproxy-config.ts';
import { defaultLbSettings, type LbSettings } from './lb-settings.ts';

const input = (settings: Partial<LbSettings> = {}, architecture = 'stateless'): HaproxyConfigInput => ({
  maxReplicas: 8,
  appAlias: 'app',
  appPort: 8080,
  ...DEFAULT_LB_PORTS,
  cookieKey: 'k3y',
  settings: { ...defaultLbSettings(architecture), ...settings },
});

const line = (config: string, start: string): string | undefined => config.split('\n').find((l) => l.trim().startsWith(start))?.trim();

describe('haproxyConfig', () => {
  it('runs the settings a careful operator would on one host by default', () => {
    const config = haproxyConfig(input());
    expect(line(config, 'timeout connect')).toBe('timeout connect 50ms');
    expect(line(config, 'retries')).toBe('retries 3');
    expect(line(config, 'option redispatch')).toBe('option redispatch 1');
    expect(line(config, 'balance')).toBe('balance roundrobin');
    expect(line(config, 'default-server')).toBe(
      'default-server inter 500ms fastinter 500ms downinter 500ms fall 2 rise 1 resolvers docker init-addr none resolve-prefer ipv4',
    );
    expect(line(config, 'server-template')).toBe('server-template app 1-8 app:8080 check');
    expect(config).not.toContain('cookie SERVERID');
  });

  it('writes each setting where HAProxy reads it', () => {
    const config = haproxyConfig(input({ connectTimeoutMs: 80, retries: 1, checkIntervalMs: 250, fall: 3, rise: 2, balance: 'leastconn' }));
    expect(line(config, 'timeout connect')).toBe('timeout connect 80ms');
    expect(line(config, 'retries')).toBe('retries 1');
    expect(line(config, 'balance')).toBe('balance leastconn');
    expect(line(config, 'default-server')).toMatch(/^default-server inter 250ms fastinter 250ms downinter 250ms fall 3 rise 2 /);
  });

  it('pins clients with a cookie derived from each server\'s address when stickiness is cookie', () => {
    const config = haproxyConfig(input({}, 'stateful'));
    expect(line(config, 'cookie')).toBe('cookie SERVERID insert indirect nocache httponly dynamic');
    expect(line(config, 'dynamic-cookie-key')).toBe('dynamic-cookie-key k3y');
    expect(line(haproxyConfig(input({ stickiness: 'none' }, 'stateful')), 'cookie')).toBeUndefined();
  });

  it('logs every line to the ring the harness streams, and to stdout for `docker logs`', () => {
    const config = haproxyConfig(input());
    expect(config).toContain(`  log ring@${EVENT_RING} format rfc5424 local0 info`);
    expect(config).toContain('  log stdout format raw local0 info');
    expect(config).toMatch(new RegExp(`^ring ${EVENT_RING}\\n(  .*\\n)*  format rfc5424\\n`, 'm'));
    // The stream stays open the whole trial: the runtime API must not close it after 10 s.
    expect(line(config, 'stats timeout')).toBe('stats timeout 24h');
    expect(line(config, 'log-format')).toContain('\\"server\\":\\"%s\\"');
  });
});
