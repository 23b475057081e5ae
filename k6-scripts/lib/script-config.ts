/** What every project script reads from the environment besides the load shape. Pure. */
import { DEFAULT_BASE_URL, ENV_BASE_URL, ENV_REQUEST_TIMEOUT, ENV_THINK_TIME } from './env-contract.ts';
import { durationText, envError, nonNegativeNumber, stringValue, type Env } from './env.ts';

export interface ScriptConfig {
  /** The load balancer, without a trailing slash. */
  baseUrl: string;
  /** Seconds a VU waits after each request. */
  thinkTimeS: number;
  /** k6 duration after which a request counts as failed (status 0). */
  requestTimeout: string;
}

export const DEFAULT_THINK_TIME_S = 0.1;
export const DEFAULT_REQUEST_TIMEOUT = '10s';

export function scriptConfig(env: Env): ScriptConfig {
  const baseUrl = stringValue(env, ENV_BASE_URL, DEFAULT_BASE_URL).replace(/\/+$/, '');
  if (!/^https?:\/\/[^/\s]+$/.test(baseUrl)) throw envError(ENV_BASE_URL, baseUrl, 'an origin such as "http://127.0.0.1:8080"');
  return {
    baseUrl,
    thinkTimeS: nonNegativeNumber(env, ENV_THINK_TIME, DEFAULT_THINK_TIME_S),
    requestTimeout: durationText(env, ENV_REQUEST_TIMEOUT, DEFAULT_REQUEST_TIMEOUT),
  };
}
