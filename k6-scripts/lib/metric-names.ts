/**
 * Custom metrics the k6 scripts emit and the analysis reads. Changing a name or a tag here changes
 * the contract between k6-scripts/ and harness/analysis/.
 *
 * app_responses   counter, 1 per HTTP response from the app
 *                 tags: replica (X-Replica, or "none" when the request failed), session, status, name
 * session_started counter, 1 per successful login           tags: session, replica
 * session_lost    counter, 1 per session lost (counted once) tags: session, replica, reason
 *                 reason: "unknown_session" (401 session_unknown) or "state_behind" (fewer items or
 *                 an older version than the client knows it wrote)
 *
 * `session` is the client's own id for one login (`<vu>-<n>`), stable across the session's requests;
 * the built-in http metrics also carry it as a request tag, so errors can be tied to sessions.
 */
export const METRIC_APP_RESPONSES = 'app_responses';
export const METRIC_SESSION_STARTED = 'session_started';
export const METRIC_SESSION_LOST = 'session_lost';
export const TAG_SESSION = 'session';
export const TAG_REPLICA = 'replica';
export const NO_REPLICA = 'none';

/**
 * Extension (compatible: a tag added to session_lost): the replica that last answered the lost
 * session with a 2xx before the loss ("none" if none had), next to `replica`, which answered the
 * request that revealed the loss. The analysis can compare the first with "expected to lose".
 */
export const TAG_LAST_REPLICA = 'last_replica';
export const TAG_REASON = 'reason';
export const LOSS_UNKNOWN_SESSION = 'unknown_session';
export const LOSS_STATE_BEHIND = 'state_behind';
