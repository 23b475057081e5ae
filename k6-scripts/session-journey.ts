/**
 * Session journey: each VU logs in, adds items to its cart, reads the cart, and after 15 to 30
 * answered requests logs out and starts a new session (failed requests do not count, so a session
 * lives through an outage and shows afterwards whether it survived). Every answer is checked for
 * session continuity (lib/continuity.ts); a lost session is counted once (session_lost) and the VU
 * logs in again.
 * One iteration = one request + THINK_TIME, so an arrival rate is a request rate.
 *
 * Runs unchanged on k6 (`k6 run -e VUS=20 -e DURATION=60s k6-scripts/session-journey.ts`; k6 runs
 * .ts directly since v0.57, older ones need --compatibility-mode=experimental_enhanced) and on the
 * harness's built-in engine. Environment (lib/env-contract.ts):
 *   BASE_URL           the load balancer (default http://127.0.0.1:8080)
 *   VUS, DURATION      constant VUs (default 1 VU for 10s)
 *   STAGES             ramping VUs instead: "30s:10,1m:20,10s:0"
 *   RATE, TIME_UNIT, PRE_ALLOCATED_VUS, MAX_VUS, DURATION
 *                      a constant arrival rate instead (iterations per TIME_UNIT, default 1s)
 *   GRACEFUL_STOP      default 2s; THINK_TIME seconds, default 0.1; REQUEST_TIMEOUT default 10s
 * The harness sets these from the scenario's `load`; `--vus` / `--duration` on the k6 command line
 * override them as usual.
 */
import { sleep } from 'k6';
import type { Options } from 'k6/options';
import { buildOptions } from './lib/load-options.ts';
import { scriptConfig } from './lib/script-config.ts';
import { addItem, hasSession, login, logout, readCart, sessionSteps } from './lib/session-client.ts';

export const options: Options = buildOptions(__ENV);

const config = scriptConfig(__ENV);
const SKUS = 20;
/** This session's length in requests; drawn again at each login. */
let budget = 0;

export default function (): void {
  if (!hasSession()) {
    login(config);
    budget = 15 + Math.floor(Math.random() * 16);
  } else if (sessionSteps() >= budget) {
    logout(config);
  } else if (sessionSteps() % 3 === 2) {
    readCart(config);
  } else {
    addItem(config, `sku-${1 + Math.floor(Math.random() * SKUS)}`, 1 + Math.floor(Math.random() * 3));
  }
  sleep(config.thinkTimeS);
}
