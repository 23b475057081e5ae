/**
 * Browse: read-mostly sessions. Each VU logs in, reads its cart again and again, adds an item about
 * once in ten requests, and after 30 to 60 answered requests logs out and starts a new session. Same
 * continuity checks and metrics as session-journey.ts; same environment (see its header and
 * lib/env-contract.ts): BASE_URL, VUS + DURATION | STAGES | RATE (+ TIME_UNIT, PRE_ALLOCATED_VUS,
 * MAX_VUS) + DURATION, GRACEFUL_STOP, THINK_TIME, REQUEST_TIMEOUT.
 */
import { sleep } from 'k6';
import type { Options } from 'k6/options';
import { buildOptions } from './lib/load-options.ts';
import { scriptConfig } from './lib/script-config.ts';
import { addItem, hasSession, login, logout, readCart, sessionSteps } from './lib/session-client.ts';

export const options: Options = buildOptions(__ENV);

const config = scriptConfig(__ENV);
let budget = 0;

export default function (): void {
  if (!hasSession()) {
    login(config);
    budget = 30 + Math.floor(Math.random() * 31);
  } else if (sessionSteps() >= budget) {
    logout(config);
  } else if (Math.random() < 0.1) {
    addItem(config, `sku-${1 + Math.floor(Math.random() * 50)}`, 1);
  } else {
    readCart(config);
  }
  sleep(config.thinkTimeS);
}
