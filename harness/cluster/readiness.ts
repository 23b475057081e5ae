/**
 * What "ready" means for each kind of container, as small objects like testcontainers' wait
 * strategies: each makes one bounded attempt at a container's address and knows how long to keep
 * trying; wait-for-ready.ts repeats it until it passes, the container exits or the time runs out.
 */
import type { Role } from '../core/labels.ts';
import { APP_PORT } from '../images/app-image.ts';
import type { ClusterPlan } from '../plan/cluster-plan.ts';
import { BACKEND, DEFAULT_LB_PORTS } from '../../targets/lb/haproxy-config.ts';
import { readServersState } from './lb-runtime-api.ts';
import { DATASTORE_PORT } from './naming.ts';
import { httpStatus, redisPing } from './probes.ts';

export interface ReadinessCheck {
  /** How long to keep trying. */
  readonly timeoutMs: number;
  /** What did not happen in time, for the error: `/readyz did not answer 200 within 30000 ms`. */
  readonly timedOut: string;
  /** One bounded attempt at the container's address: resolves once it is ready, rejects saying why not. */
  attempt(host: string): Promise<void>;
}

/** Each attempt's own bound: a container that does not answer within it is not ready yet. */
const ATTEMPT_TIMEOUT_MS = 500;

/** Ready when GET `path` on `port` answers 200. */
export function httpReady(path: string, port: number, timeoutMs: number, attemptTimeoutMs = ATTEMPT_TIMEOUT_MS): ReadinessCheck {
  return {
    timeoutMs,
    timedOut: `${path} did not answer 200 within ${timeoutMs} ms`,
    async attempt(host) {
      const status = await httpStatus(`http://${host}:${port}${path}`, attemptTimeoutMs);
      if (status !== 200) throw new Error(`status ${status}`);
    },
  };
}

/** Ready when Redis on `port` answers PING with PONG. */
export function redisPingReady(port: number, timeoutMs: number): ReadinessCheck {
  return {
    timeoutMs,
    timedOut: `PING was not answered within ${timeoutMs} ms`,
    async attempt(host) {
      if (!(await redisPing(host, port, ATTEMPT_TIMEOUT_MS))) throw new Error('no PONG');
    },
  };
}

/** Ready when HAProxy's runtime API on `port` lists the servers of `backend`. */
export function runtimeApiReady(port: number, backend: string, timeoutMs: number): ReadinessCheck {
  return {
    timeoutMs,
    timedOut: `the runtime API did not answer within ${timeoutMs / 1000} s`,
    async attempt(host) {
      if ((await readServersState(host, port, backend)).length === 0) throw new Error(`no servers in ${backend}`);
    },
  };
}

/**
 * The app is ready when GET /readyz answers 200 (targets/app/routes/health.ts): 200 only once it can
 * serve. This is the one place the harness probes it; the load balancer's own checks are in its
 * configuration.
 */
export function appReady(timeoutMs: number, options: { port?: number; attemptTimeoutMs?: number } = {}): ReadinessCheck {
  return httpReady('/readyz', options.port ?? APP_PORT, timeoutMs, options.attemptTimeoutMs);
}

/** The data tier's check, or else a replica's, with the plan's time to become ready. */
export function memberReady(role: Role, plan: ClusterPlan): ReadinessCheck {
  return role === 'datastore' ? redisPingReady(DATASTORE_PORT, plan.readyTimeoutMs) : appReady(plan.readyTimeoutMs);
}

/** The load balancer is ready once its runtime API answers with its server slots. */
export function loadBalancerReady(): ReadinessCheck {
  return runtimeApiReady(DEFAULT_LB_PORTS.runtimeApiPort, BACKEND, 10_000);
}
