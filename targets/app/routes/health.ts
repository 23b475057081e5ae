/** Liveness and readiness, for the load balancer's health checks and the harness. */
import type { Readiness } from '../readiness.ts';
import type { Route } from './router.ts';

export interface HealthDeps {
  readiness: Readiness;
  store: string;
}

export function healthRoutes({ readiness, store }: HealthDeps): Route[] {
  return [
    {
      method: 'GET',
      path: '/healthz',
      // Alive as long as the process answers, even while draining or with the store down.
      handle: async () => ({ status: 200, body: { status: 'ok', store } }),
    },
    {
      method: 'GET',
      path: '/readyz',
      handle: async () => {
        const status = await readiness.check();
        return status.ready
          ? { status: 200, body: { status: 'ready', store } }
          : { status: 503, body: { status: status.state, reason: status.reason, store } };
      },
    },
  ];
}
