/** What made the load balancer take a replica out of service (glossary: "with what detected it"). */
export const DETECTION_CAUSES = ['health-check', 'connection-refused', 'dns', 'traffic', 'admin', 'unknown'] as const;
export type DetectionCause = (typeof DETECTION_CAUSES)[number];

/** How the report names each cause. */
export const DETECTION_CAUSE_WORDS: Readonly<Record<DetectionCause, string>> = {
  'health-check': 'health check',
  'connection-refused': 'health check: connection refused',
  dns: 'DNS: the address left Docker’s DNS',
  traffic: 'errors on real requests (observe)',
  admin: 'maintenance set through the runtime API',
  unknown: 'unrecognised reason',
};

/**
 * The cause of an HAProxy state change, from the words HAProxy logged with it (lb-states.ndjson's
 * `reason`, harness/cluster/lb-log.ts). HAProxy's own phrases, by the code that writes them:
 *   - health checks: "reason: Layer4 connection problem, info: "Connection refused"", "reason: Layer4
 *     timeout", "reason: Layer7 wrong status, code: 503", "Socket error", each with "check duration";
 *     a refused connection is told apart: the process is gone but the host answers;
 *   - DNS: a server whose name no longer resolves goes to maintenance "(No IP for server )", or with
 *     "(DNS NX status)", "(DNS timeout status)", "(entry removed from SRV record)"…;
 *   - observe (passive checks on real traffic): "reason: Health analyze";
 *   - an operator or the harness through the runtime API or stats page: "changed from CLI", "'disable'
 *     on stats page", or maintenance without a DNS cause.
 */
export function detectionCause(state: 'down' | 'maint', reason: string): DetectionCause {
  if (/\bDNS\b|No IP for server|SRV record|resolv/i.test(reason)) return 'dns';
  if (/Health analyze/i.test(reason)) return 'traffic';
  if (/changed from CLI|stats page/i.test(reason)) return 'admin';
  if (/Connection refused/i.test(reason)) return 'connection-refused';
  if (/Layer[4-7]|Socket error|check duration|\bcheck\b/i.test(reason)) return 'health-check';
  if (state === 'maint') return 'admin';
  return 'unknown';
}
