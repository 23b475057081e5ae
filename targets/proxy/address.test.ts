import { describe, expect, it } from 'vitest';
import { formatHostPort, parseHostPort, sameHostPort } from './address.ts';

describe('host:port addresses', () => {
  it('parses the forms Toxiproxy accepts', () => {
    expect(parseHostPort('127.0.0.1:8080')).toEqual({ host: '127.0.0.1', port: 8080 });
    expect(parseHostPort('redis:6379')).toEqual({ host: 'redis', port: 6379 });
    expect(parseHostPort('[::1]:80')).toEqual({ host: '::1', port: 80 });
    expect(parseHostPort(':8474')).toEqual({ host: '', port: 8474 });
    expect(parseHostPort('127.0.0.1:0')).toEqual({ host: '127.0.0.1', port: 0 });
  });

  it('refuses what is not host:port', () => {
    for (const text of ['', 'redis', 'redis:', 'redis:http', '::1:80', 'a b:80', 'host:70000', 'host:-1']) expect(parseHostPort(text), text).toBeUndefined();
  });

  it('formats IPv6 hosts in brackets', () => {
    expect(formatHostPort('::', 8080)).toBe('[::]:8080');
    expect(formatHostPort('127.0.0.1', 1)).toBe('127.0.0.1:1');
  });

  it('counts every way of naming every interface as one address', () => {
    expect(sameHostPort(':80', '[::]:80')).toBe(true);
    expect(sameHostPort('0.0.0.0:80', '[::]:80')).toBe(true);
    expect(sameHostPort('127.0.0.1:80', '127.0.0.1:81')).toBe(false);
    expect(sameHostPort('localhost:80', '127.0.0.1:80')).toBe(false);
  });
});
