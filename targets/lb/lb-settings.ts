/**
 * The load balancer settings a trial runs with. They shape what users see at a fault (how long a
 * request waits on a dead replica, how fast one is taken out), so they are parameters of the plan,
 * recorded with every trial, and their defaults are what a careful operator would run on one host.
 */

export const LB_BALANCE_ALGORITHMS = ['roundrobin', 'leastconn', 'random'] as const;
export type LbBalance = (typeof LB_BALANCE_ALGORITHMS)[number];

/** `cookie`: HAProxy pins each client to a replica with a `SERVERID` cookie; `none`: no stickiness. */
export const LB_STICKINESS_MODES = ['cookie', 'none'] as const;
export type LbStickiness = (typeof LB_STICKINESS_MODES)[number];

export interface LbSettings {
  /** `timeout connect`: how long a connection to a replica may take before it is retried elsewhere. */
  connectTimeoutMs: number;
  /** `retries`: connection attempts after the first; each goes to another replica (`option redispatch 1`). */
  retries: number;
  /** Health check interval (`inter`, `fastinter`, `downinter`). */
  checkIntervalMs: number;
  /** Failed checks in a row that mark a replica down. */
  fall: number;
  /** Passed checks in a row that mark a replica up again. */
  rise: number;
  balance: LbBalance;
  stickiness: LbStickiness;
}

export const DEFAULT_LB_SETTINGS: Omit<LbSettings, 'stickiness'> = {
  // On one host a live replica's kernel completes a connection in well under a millisecond, even
  // when the app itself is busy (the SYN-ACK does not wait for the process); the slowest connect
  // measured on a loaded 2-core machine took 13 ms. Only an address nobody holds any more (a killed
  // or cut-off replica) never answers: 50 ms bounds what that costs a request before it is retried
  // on another replica. A connect that is merely slow costs a retry, never an error. HAProxy's usual
  // 1 s or more is a WAN figure and made every such request stall a second, a delay of the rig that
  // would be blamed on the architecture.
  connectTimeoutMs: 50,
  // Each retry goes to another replica, so 3 survives two dead replicas plus one slow connect.
  retries: 3,
  // /readyz is cheap (the app caches it for 250 ms): two checks per second per replica detect a
  // replica that keeps its address but stops answering (paused, overloaded) within about a second.
  checkIntervalMs: 500,
  // One lost check (a pause of the whole machine, a CPU-throttled period) must not take a healthy
  // replica out — for sticky sessions that would be a loss of the rig's making; two in a row do.
  fall: 2,
  // /readyz answers 200 only when the replica can serve (store reachable, replay done), so one
  // good answer is enough; waiting for another would only delay its return by an interval.
  rise: 1,
  // Replicas are identical and on one host, requests of similar cost: round robin shares them
  // evenly, which the per-replica share figures assume. leastconn and random are there to compare.
  balance: 'roundrobin',
};

/** Stickiness follows where the architecture keeps sessions: only in-replica state needs it. */
export function defaultStickiness(architecture: string): LbStickiness {
  return architecture === 'stateful' ? 'cookie' : 'none';
}

export function defaultLbSettings(architecture: string): LbSettings {
  return { ...DEFAULT_LB_SETTINGS, stickiness: defaultStickiness(architecture) };
}

/** Each numeric setting's allowed range, for the plan's input errors. */
export const LB_SETTING_RANGES = {
  connectTimeoutMs: { min: 1, max: 60_000 },
  retries: { min: 0, max: 10 },
  checkIntervalMs: { min: 50, max: 60_000 },
  fall: { min: 1, max: 10 },
  rise: { min: 1, max: 10 },
} as const satisfies Record<string, { min: number; max: number }>;
