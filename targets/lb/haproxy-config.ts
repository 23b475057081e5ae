/**
 * HAProxy configuration for one trial, generated from the trial's architecture.
 *
 * Replicas are discovered through Docker's embedded DNS (127.0.0.11): every replica joins the run's
 * network with the alias `app`, and a `server-template` with `maxReplicas` slots is filled from the
 * A records. Replicas added or removed appear within about a second, with no reload and no runtime
 * API call from the harness — so the load balancer's view cannot drift from Docker's, and a replica
 * that crashes disappears from DNS by itself. The runtime API (stats socket) is still exposed on the
 * run's private network, read-only in spirit, so the harness can read each server's state.
 */

export type LbArchitecture = 'stateful' | 'stateless' | 'event-sourced';

export interface HaproxyConfigInput {
  architecture: LbArchitecture;
  maxReplicas: number;
  /** DNS name shared by all replicas on the run network. */
  appAlias: string;
  appPort: number;
  /** Port HAProxy listens on inside its container (published on 127.0.0.1 by the harness). */
  frontendPort: number;
  /** Port of the runtime API (`show servers state`), reachable only on the run network. */
  runtimeApiPort: number;
  /** Secret for the sticky cookie values (stateful only). */
  cookieKey: string;
  /** Health check interval; detection time is about `fall` × this. */
  checkIntervalMs: number;
}

export const DEFAULT_LB_PORTS = { frontendPort: 8080, runtimeApiPort: 9999 } as const;
export const BACKEND = 'app';
export const SERVER_PREFIX = 'app';

/** One JSON object per request, so the harness can read the access log without a parser of its own. */
const ACCESS_LOG_FORMAT = [
  '{"type":"access"',
  '"accept":"%tr"',
  '"client":"%ci:%cp"',
  '"backend":"%b"',
  '"server":"%s"',
  '"Tq":%TR',
  '"Tw":%Tw',
  '"Tc":%Tc',
  '"Tr":%Tr',
  '"Ta":%Ta',
  '"status":%ST',
  '"bytes":%B',
  '"termination":"%tsc"',
  '"retries":"%rc"',
  '"method":"%HM"',
  '"path":"%HP"}',
].join(',');

export function haproxyConfig(input: HaproxyConfigInput): string {
  const sticky = input.architecture === 'stateful';
  const check = `inter ${input.checkIntervalMs}ms fastinter ${input.checkIntervalMs}ms downinter ${input.checkIntervalMs}ms fall 2 rise 1`;
  const lines = [
    'global',
    '  log stdout format raw local0 info',
    `  stats socket ipv4@0.0.0.0:${input.runtimeApiPort} level admin`,
    '  maxconn 4096',
    '  hard-stop-after 5s',
    '',
    'resolvers docker',
    '  nameserver dockerdns 127.0.0.11:53',
    '  accepted_payload_size 8192',
    '  resolve_retries 2',
    '  timeout resolve 250ms',
    '  timeout retry 250ms',
    '  hold valid 250ms',
    '  hold nx 250ms',
    '  hold obsolete 0s',
    '  hold other 250ms',
    '  hold refused 250ms',
    '  hold timeout 250ms',
    '',
    'defaults',
    '  mode http',
    '  log global',
    `  log-format "${ACCESS_LOG_FORMAT.replace(/"/g, '\\"')}"`,
    // A refused connection (a replica starting or gone) is retried on another server at once, so
    // the client sees no error for it; requests that reached a server are never retried.
    '  option redispatch 1',
    '  retries 3',
    '  timeout connect 1s',
    '  timeout client 65s',
    '  timeout server 65s',
    '  timeout http-keep-alive 60s',
    '  timeout check 1s',
    '',
    'frontend web',
    `  bind :${input.frontendPort}`,
    `  default_backend ${BACKEND}`,
    '',
    `backend ${BACKEND}`,
    '  balance roundrobin',
    ...(sticky
      ? [
          // A cookie per server, derived from its address, so server-template slots need no names;
          // when the pinned server is down, `option redispatch` sends the request elsewhere.
          '  cookie SERVERID insert indirect nocache httponly dynamic',
          `  dynamic-cookie-key ${input.cookieKey}`,
        ]
      : []),
    '  option httpchk GET /readyz',
    '  http-check expect status 200',
    `  default-server ${check} resolvers docker init-addr none resolve-prefer ipv4`,
    `  server-template ${SERVER_PREFIX} 1-${input.maxReplicas} ${input.appAlias}:${input.appPort} check`,
    '',
  ];
  return lines.join('\n');
}
