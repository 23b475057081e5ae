import { NO_REPLICA_ID } from './replica-registry.ts';

/** A fault as the session book needs it. */
export interface SessionFault {
  start: number;
  /** Whether losses can be attributed to it (false when it was skipped: it did nothing). */
  attributable: boolean;
  /** Replicas it takes away; null when it takes none (scale-out, data tier, unpause, heal). */
  targetReplicaIds: ReadonlySet<number> | null;
}

/** Per fault position; the pinned counts are null for faults that take no replica away. */
export interface SessionTally {
  /** Sessions lost, attributed to the fault (the latest one started at or before the loss). */
  lost: number[];
  /** Sessions open at the fault: a response in the 10 s before its start and one at or after it. */
  openAtFault: number[];
  /** Of the sessions open at the fault, those lost to it. */
  lostOpen: number[];
  /** Sessions whose latest response before the fault came from a target, with a response at or after it. */
  pinned: Array<number | null>;
  /** Of the pinned sessions, those lost to the fault. */
  lostPinned: Array<number | null>;
  /** Distinct sessions seen (app_responses with a session tag). */
  sessionsSeen: number;
  /** Sessions lost in the trial, whatever the fault. */
  lostTotal: number;
  /** Sessions lost before any fault started. */
  lostOutsideFaults: number;
}

/** How long before a fault a session must have been active to count as open at it (glossary). */
export const OPEN_SESSION_LOOKBACK_MS = 10_000;

const NOT_LOST = -2;
const BEFORE_ANY_FAULT = -1;
const INITIAL_CAPACITY = 1024;

/**
 * What the analysis must remember per session (the `session` tag: one login): when it was last
 * seen, whether it was active just before each fault, which replica served it last before each fault
 * that takes a replica away, and the fault its loss is attributed to. Columnar typed arrays indexed
 * by a small session id: memory grows with sessions × faults (a few bytes each), not with points.
 */
export class SessionBook {
  private readonly ids = new Map<string, number>();
  private size = 0;
  private capacity = INITIAL_CAPACITY;
  private lastSeen = new Float64Array(INITIAL_CAPACITY).fill(Number.NEGATIVE_INFINITY);
  private lostAt = new Int32Array(INITIAL_CAPACITY).fill(NOT_LOST);
  /** [session × fault]: 1 when the session had a response in the 10 s before that fault's start. */
  private activeBefore: Uint8Array;
  /** [session × replica-losing fault]: time and replica id of the latest response before its start. */
  private lastBeforeTime: Float64Array;
  private lastBeforeReplica: Int32Array;
  /** Positions of the faults that take a replica away, in the order of their columns. */
  private readonly losing: readonly number[];
  /** Losses without a session tag cannot be told apart; they are counted per fault position. */
  private readonly anonymousLost: number[];
  private anonymousLostOutsideFaults = 0;

  /** @param faults every fault of the plan, by position (positions ordered by start). */
  constructor(private readonly faults: readonly SessionFault[]) {
    this.losing = faults.flatMap((fault, position) => (fault.targetReplicaIds === null ? [] : [position]));
    this.activeBefore = new Uint8Array(INITIAL_CAPACITY * faults.length);
    this.lastBeforeTime = new Float64Array(INITIAL_CAPACITY * this.losing.length).fill(Number.NEGATIVE_INFINITY);
    this.lastBeforeReplica = new Int32Array(INITIAL_CAPACITY * this.losing.length).fill(NO_REPLICA_ID);
    this.anonymousLost = faults.map(() => 0);
  }

  /** An app response carrying `session`, served by `replicaId` (NO_REPLICA_ID when none answered). */
  response(session: string, timeMs: number, replicaId: number): void {
    const id = this.idOf(session);
    if (timeMs > (this.lastSeen[id] ?? Number.NEGATIVE_INFINITY)) this.lastSeen[id] = timeMs;
    const faults = this.faults.length;
    for (let position = 0; position < faults; position++) {
      const start = this.faults[position]?.start ?? Number.NaN;
      // Any response counts as activity, a failed one too: the client was using its session.
      if (timeMs < start && timeMs >= start - OPEN_SESSION_LOOKBACK_MS) this.activeBefore[id * faults + position] = 1;
    }
    if (replicaId === NO_REPLICA_ID) return;
    const width = this.losing.length;
    for (let column = 0; column < width; column++) {
      const start = this.faults[this.losing[column] ?? -1]?.start ?? Number.NaN;
      if (!(timeMs < start)) continue;
      const cell = id * width + column;
      // Points may arrive slightly out of order: keep the latest before the start, not the last read.
      if (timeMs >= (this.lastBeforeTime[cell] ?? Number.NEGATIVE_INFINITY)) {
        this.lastBeforeTime[cell] = timeMs;
        this.lastBeforeReplica[cell] = replicaId;
      }
    }
  }

  /** A session_lost point; a session counts once, attributed to the latest fault started at or before it. */
  lost(session: string | undefined, timeMs: number): void {
    const position = this.attributedFault(timeMs);
    if (session === undefined) {
      if (position === BEFORE_ANY_FAULT) this.anonymousLostOutsideFaults++;
      else this.anonymousLost[position] = (this.anonymousLost[position] ?? 0) + 1;
      return;
    }
    const id = this.idOf(session);
    if (this.lostAt[id] === NOT_LOST) this.lostAt[id] = position;
  }

  tally(): SessionTally {
    const faults = this.faults.length;
    const lost = [...this.anonymousLost];
    const openAtFault = new Array<number>(faults).fill(0);
    const lostOpen = new Array<number>(faults).fill(0);
    const pinned = this.faults.map((fault): number | null => (fault.targetReplicaIds === null ? null : 0));
    const lostPinned = [...pinned];
    let lostTotal = this.anonymousLostOutsideFaults + this.anonymousLost.reduce((sum, count) => sum + count, 0);
    let lostOutsideFaults = this.anonymousLostOutsideFaults;
    const width = this.losing.length;
    for (let id = 0; id < this.size; id++) {
      const seen = this.lastSeen[id] ?? Number.NEGATIVE_INFINITY;
      const lostAt = this.lostAt[id] ?? NOT_LOST;
      if (lostAt !== NOT_LOST) {
        lostTotal++;
        if (lostAt === BEFORE_ANY_FAULT) lostOutsideFaults++;
        else lost[lostAt] = (lost[lostAt] ?? 0) + 1;
      }
      for (let position = 0; position < faults; position++) {
        const start = this.faults[position]?.start ?? Number.NaN;
        if (!(seen >= start) || this.activeBefore[id * faults + position] !== 1) continue;
        openAtFault[position] = (openAtFault[position] ?? 0) + 1;
        if (lostAt === position) lostOpen[position] = (lostOpen[position] ?? 0) + 1;
      }
      for (let column = 0; column < width; column++) {
        const position = this.losing[column] ?? -1;
        const fault = this.faults[position];
        if (fault?.targetReplicaIds == null || !(seen >= fault.start)) continue;
        if (!fault.targetReplicaIds.has(this.lastBeforeReplica[id * width + column] ?? NO_REPLICA_ID)) continue;
        pinned[position] = (pinned[position] ?? 0) + 1;
        if (lostAt === position) lostPinned[position] = (lostPinned[position] ?? 0) + 1;
      }
    }
    return { lost, openAtFault, lostOpen, pinned, lostPinned, sessionsSeen: this.size, lostTotal, lostOutsideFaults };
  }

  private attributedFault(timeMs: number): number {
    let position = BEFORE_ANY_FAULT;
    for (let i = 0; i < this.faults.length; i++) {
      const fault = this.faults[i];
      if (fault?.attributable === true && fault.start <= timeMs) position = i;
    }
    return position;
  }

  private idOf(session: string): number {
    const known = this.ids.get(session);
    if (known !== undefined) return known;
    if (this.size === this.capacity) this.grow();
    const id = this.size++;
    this.ids.set(session, id);
    return id;
  }

  private grow(): void {
    const capacity = this.capacity * 2;
    this.lastSeen = grown(this.lastSeen, capacity, Number.NEGATIVE_INFINITY);
    this.lostAt = grown(this.lostAt, capacity, NOT_LOST);
    this.activeBefore = grown(this.activeBefore, capacity * this.faults.length, 0);
    this.lastBeforeTime = grown(this.lastBeforeTime, capacity * this.losing.length, Number.NEGATIVE_INFINITY);
    this.lastBeforeReplica = grown(this.lastBeforeReplica, capacity * this.losing.length, NO_REPLICA_ID);
    this.capacity = capacity;
  }
}

function grown<T extends Float64Array | Int32Array | Uint8Array>(array: T, length: number, fill: number): T {
  const larger = new (array.constructor as new (length: number) => T)(length);
  larger.set(array);
  larger.fill(fill, array.length);
  return larger;
}
