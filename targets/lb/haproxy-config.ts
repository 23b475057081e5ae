/**
 * HAProxy configuration for one trial, generated from its load balancer settings.
 *
 * Replicas are discovered through Docker's embedded DNS (127.0.0.11) on the run's front network: a
 * replica joins that network, under the alias `app`, only once its readiness endpoint answers 200
 * (harness/cluster), and a `server-template` with `maxReplicas` slots is filled from the A records.
 * So the load balancer never learns an address before something listens there, needs no reload and
 * no runtime API call to add one, and a replica that dies drops out of DNS by itself.
 *
 * Every log line goes to two places: stdout (what `docker logs` shows; HAProxy drops lines when the
 * pipe is full and counts them) and an in-memory ring that the harness reads as a stream through the
 * runtime API (`show events`), with HAProxy's own timestamp on each line: the lossless record.
 */
import type { LbSettings } from './lb-settings.ts';

export interface HaproxyConfigInput {
  maxReplicas: number;
  /** DNS name shared by all replicas on the front network. */
  appAlias: string;
  appPort: number;
  /** Port HAProxy listens on inside its container (published on 127.0.0.1 by the harness). */
  frontendPort: number;
  /** Port of the runtime API (`show servers state`, `show stat`, `show events`), reachable only on the run's networks. */
  runtimeApiPort: number;
  /** Secret for the sticky cookie values (stickiness `cookie` only). */
  cookieKey: string;
  settings: LbSettings;
}

export const DEFAULT_LB_PORTS = { frontendPort: 8080, runtimeApiPort: 9999 } as const;
export const BACKEND = 'app';
export const FRONTEND = 'web';
export const SERVER_PREFIX = 'app';
/** The ring (HAProxy "sink") every log line is written to, and that the harness streams. */
export const EVENT_RING = 'events';
/** Room for minutes of lines should the reader fall behind; a writer that would overrun it drops and counts. */
const EVENT_RING_BYTES = 32 * 1024 * 1024;

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
  const { settings } = input;
  const interval = `${settings.checkIntervalMs}ms`;
  const check = `inter ${interval} fastinter ${interval} downinter ${interval} fall ${settings.fall} rise ${settings.rise}`;
  const lines = [
    'global',
    '  log stdout format raw local0 info',
    `  log ring@${EVENT_RING} format rfc5424 local0 info`,
    `  stats socket ipv4@0.0.0.0:${input.runtimeApiPort} level admin`,
    // The harness keeps one `show events -w` open for the whole trial; the default 10 s would cut it.
    '  stats timeout 24h',
    '  maxconn 4096',
    '  hard-stop-after 5s',
    '',
    `ring ${EVENT_RING}`,
    '  description "every log line, with HAProxy\'s own timestamp, for the harness"',
    '  format rfc5424',
    '  maxlen 4096',
    `  size ${EVENT_RING_BYTES}`,
    '',
    // Re-resolving every 100 ms bounds how long a replica that joined (ready) waits to be found, and how
    // long a gone one keeps its slot; Docker's embedded DNS answers these ten queries a second locally.
    'resolvers docker',
    '  nameserver dockerdns 127.0.0.11:53',
    '  accepted_payload_size 8192',
    '  resolve_retries 2',
    '  timeout resolve 100ms',
    '  timeout retry 100ms',
    '  hold valid 100ms',
    '  hold nx 100ms',
    '  hold obsolete 0s',
    '  hold other 100ms',
    '  hold refused 100ms',
    '  hold timeout 100ms',
    '',
    'defaults',
    '  mode http',
    '  log global',
    `  log-format "${ACCESS_LOG_FORMAT.replace(/"/g, '\\"')}"`,
    // A connection that fails (a replica gone, or not answering) is retried on another server, so
    // the client sees no error for it; requests that reached a server are never retried.
    '  option redispatch 1',
    `  retries ${settings.retries}`,
    `  timeout connect ${settings.connectTimeoutMs}ms`,
    '  timeout client 65s',
    '  timeout server 65s',
    '  timeout http-keep-alive 60s',
    '  timeout check 1s',
    '',
    `frontend ${FRONTEND}`,
    `  bind :${input.frontendPort}`,
    `  default_backend ${BACKEND}`,
    '',
    `backend ${BACKEND}`,
    `  balance ${settings.balance}`,
    ...(settings.stickiness === 'cookie'
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
