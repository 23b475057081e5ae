import { describe, expect, it } from 'vitest';
import { Router, type Route } from './router.ts';

const route = (method: Route['method'], path: string): Route => ({ method, path, handle: async () => ({ status: 200 }) });

describe('Router', () => {
  const router = new Router([route('GET', '/cart'), route('POST', '/cart/items'), route('GET', '/accounts/:id'), route('POST', '/accounts/:id/deposit')]);

  it('matches literal paths and methods', () => {
    expect(router.match('GET', '/cart')).toMatchObject({ kind: 'found', params: {} });
    expect(router.match('POST', '/cart/items')).toMatchObject({ kind: 'found' });
  });

  it('extracts decoded params', () => {
    expect(router.match('GET', '/accounts/a%20b')).toMatchObject({ kind: 'found', params: { id: 'a b' } });
    expect(router.match('POST', '/accounts/x/deposit')).toMatchObject({ kind: 'found', params: { id: 'x' } });
    expect(router.match('GET', '/accounts/')).toEqual({ kind: 'none' });
  });

  it('tells a wrong method from an unknown path', () => {
    expect(router.match('DELETE', '/cart')).toEqual({ kind: 'wrong_method', allowed: ['GET'] });
    expect(router.match('GET', '/cart/')).toEqual({ kind: 'none' });
    expect(router.match('GET', '/%zz')).toEqual({ kind: 'none' });
  });

  it('refuses a route defined twice', () => {
    expect(() => new Router([route('GET', '/a'), route('GET', '/a')])).toThrow('GET /a is defined twice');
  });
});
