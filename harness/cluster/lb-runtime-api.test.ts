import { describe, expect, it } from 'vitest';
import { parseServersState } from './lb-runtime-api.ts';

// As HAProxy 2.6 prints `show servers state app` (trimmed to three slots).
const SAMPLE = `1
# be_id be_name srv_id srv_name srv_addr srv_op_state srv_admin_state srv_uweight srv_iweight srv_time_since_last_change srv_check_status srv_check_result srv_check_health srv_check_state srv_agent_state bk_f_forced_id srv_f_forced_id srv_fqdn srv_port srvrecord srv_use_ssl srv_check_port srv_check_addr srv_agent_addr srv_agent_port
3 app 1 app1 172.18.0.3 2 0 1 1 12 15 3 4 6 0 0 0 app 8080 - 0 0 - - 0
3 app 2 app2 172.18.0.4 0 0 1 1 2 7 2 0 6 0 0 0 app 8080 - 0 0 - - 0
3 app 3 app3 - 0 32 1 1 40 1 0 0 14 0 0 0 app 8080 - 0 0 - - 0

`;

describe('parseServersState', () => {
  it('reads each slot with its address and whether it takes traffic', () => {
    const states = parseServersState(SAMPLE);
    expect(states).toEqual([
      { slot: 'app1', address: '172.18.0.3', up: true, operationalState: 2, adminState: 0, secondsSinceChange: 12 },
      { slot: 'app2', address: '172.18.0.4', up: false, operationalState: 0, adminState: 0, secondsSinceChange: 2 },
      { slot: 'app3', address: undefined, up: false, operationalState: 0, adminState: 32, secondsSinceChange: 40 },
    ]);
  });

  it('returns nothing for an answer without a header (e.g. an unknown backend)', () => {
    expect(parseServersState("Can't find backend.\n")).toEqual([]);
  });
});
