/**
 * Redis keys of the bank stores. The stateless store and the event-log store share the history and
 * idempotency layout (and the code that reads it); they never run against the same Redis at once.
 *
 *   bank:account:<id>        (redis)      hash {balance, version}
 *   bank:history:<id>        (both)       list of history events (JSON), seq k at index k-1
 *   bank:idem:<key>          (both)       first decision for an idempotency key, JSON {fp, decision}, TTL 24 h
 *   bank:events              (event-log)  the log: a stream, one entry per change, field `event` (JSON)
 *   bank:version:<id>        (event-log)  the account's version: its existence and the optimistic-concurrency token
 *   bank:epoch               (event-log)  random id of this log's life; a change means Redis lost the log
 *   bank:snapshot            (event-log)  latest snapshot: projection state + the stream id it covers (JSON)
 *   bank:snapshot:meta       (event-log)  hash {streamId, events, takenAt, replica, bytes} of that snapshot
 *   bank:snapshot:lock       (event-log)  SET NX PX lock held by the one replica writing a snapshot
 */
export const ACCOUNT_PREFIX = 'bank:account:';
export const HISTORY_PREFIX = 'bank:history:';
export const IDEMPOTENCY_PREFIX = 'bank:idem:';
export const STREAM_KEY = 'bank:events';
export const VERSION_PREFIX = 'bank:version:';
export const EPOCH_KEY = 'bank:epoch';
export const SNAPSHOT_KEY = 'bank:snapshot';
export const SNAPSHOT_META_KEY = 'bank:snapshot:meta';
export const SNAPSHOT_LOCK_KEY = 'bank:snapshot:lock';
