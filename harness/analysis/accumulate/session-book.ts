import { NO_REPLICA_ID } from './replica-registry.ts';

/** A fault whose targets' sessions are expected to be lost. */
export interface SessionLosingFault {
  /** Position of the fault in the plan. */
  position: number;
  start: number;
  targetReplicaIds: ReadonlySet<number>;
}

/** Per fault position. `expectedToLose` / `lostAndExpected` are null for faults that should lose none. */
export interface SessionTally {
  activeAfter: number[];
  lost: number[];
  expectedToLose: Array<number | null>;
  lostAndExpected: Array<number | null>;
  /** Distinct sessions seen (app_responses with a session tag). */
  sessionsSeen: number;
  /** Sessions lost in the trial, whatever the fault. */
  lostTotal: number;
  /** Sessions lost before any fault started. */
  lostOutsideFaults: number;
}

const NOT_LOST = -2;
const BEFORE_ANY_FAULT = -1;
const INITIAL_CAPACITY = 1024;

/**
 * What the analysis must remember per session (the `session` tag: one login): when it was last seen,
 * which replica served it last before each session-losing fault, and the fault its loss is
 * attributed to. Columnar typed arrays indexed by a small session id: memory grows with the number
 * of sessions (tens of bytes each), not with the number of points.
 */
export class SessionBook {
  private readonly ids = new Map<string, number>();
  private size = 0;
  private capacity = INITIAL_CAPACITY;
  private lastSeen = new Float64Array(INITIAL_CAPACITY).fill(Number.NEGATIVE_INFINITY);
  private lostAt = new Int32Array(INITIAL_CAPACITY).fill(NOT_LOST);
  /** [session × losing fault]: time and replica id of the latest response before that fault's start. */
  private lastBeforeTime: Float64Array;
  private lastBeforeReplica: Int32Array;
  /** Losses without a session tag cannot be told apart; they are counted per fault position. */
  private readonly anonymousLost: number[];
  private anonymousLostOutsideFaults = 0;

  /**
   * @param faultStarts start of every fault, by position (positions ordered by start).
   * @param attributable per position, whether losses can be attributed to that fault (false when
   *   it was skipped: it did nothing).
   */
  constructor(
    private readonly faultStarts: readonly number[],
    private readonly attributable: readonly boolean[],
    private readonly losingFaults: readonly SessionLosingFault[],
  ) {
    const width = losingFaults.length;
    this.lastBeforeTime = new Float64Array(INITIAL_CAPACITY * width).fill(Number.NEGATIVE_INFINITY);
    this.lastBeforeReplica = new Int32Array(INITIAL_CAPACITY * width).fill(NO_REPLICA_ID);
    this.anonymousLost = faultStarts.map(() => 0);
  }

  /** An app response carrying `session`, served by `replicaId` (NO_REPLICA_ID when none answered). */
  response(session: string, timeMs: number, replicaId: number): void {
    const id = this.idOf(session);
    if (timeMs > (this.lastSeen[id] ?? Number.NEGATIVE_INFINITY)) this.lastSeen[id] = timeMs;
    if (replicaId === NO_REPLICA_ID) return;
    const width = this.losingFaults.length;
    for (let j = 0; j < width; j++) {
      const fault = this.losingFaults[j];
      if (fault === undefined || timeMs >= fault.start) continue;
      const cell = id * width + j;
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
    const faults = this.faultStarts.length;
    const lost = [...this.anonymousLost];
    const activeAfter = new Array<number>(faults).fill(0);
    const expected: Array<number | null> = new Array<number | null>(faults).fill(null);
    const lostAndExpected: Array<number | null> = new Array<number | null>(faults).fill(null);
    for (const fault of this.losingFaults) {
      expected[fault.position] = 0;
      lostAndExpected[fault.position] = 0;
    }
    let lostTotal = this.anonymousLostOutsideFaults + this.anonymousLost.reduce((sum, count) => sum + count, 0);
    let lostOutsideFaults = this.anonymousLostOutsideFaults;
    const width = this.losingFaults.length;
    for (let id = 0; id < this.size; id++) {
      const seen = this.lastSeen[id] ?? Number.NEGATIVE_INFINITY;
      const lostAt = this.lostAt[id] ?? NOT_LOST;
      for (let position = 0; position < faults; position++) {
        const start = this.faultStarts[position] ?? Number.NaN;
        if (seen >= start) activeAfter[position] = (activeAfter[position] ?? 0) + 1;
      }
      if (lostAt !== NOT_LOST) {
        lostTotal++;
        if (lostAt === BEFORE_ANY_FAULT) lostOutsideFaults++;
        else lost[lostAt] = (lost[lostAt] ?? 0) + 1;
      }
      for (let j = 0; j < width; j++) {
        const fault = this.losingFaults[j];
        if (fault === undefined || seen < fault.start) continue;
        if (!fault.targetReplicaIds.has(this.lastBeforeReplica[id * width + j] ?? NO_REPLICA_ID)) continue;
        expected[fault.position] = (expected[fault.position] ?? 0) + 1;
        if (lostAt === fault.position) lostAndExpected[fault.position] = (lostAndExpected[fault.position] ?? 0) + 1;
      }
    }
    return {
      activeAfter,
      lost,
      expectedToLose: expected,
      lostAndExpected,
      sessionsSeen: this.size,
      lostTotal,
      lostOutsideFaults,
    };
  }

  private attributedFault(timeMs: number): number {
    let position = BEFORE_ANY_FAULT;
    for (let i = 0; i < this.faultStarts.length; i++) {
      const start = this.faultStarts[i] ?? Number.NaN;
      if (this.attributable[i] === true && start <= timeMs) position = i;
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
    const width = this.losingFaults.length;
    this.lastSeen = grown(this.lastSeen, capacity, Number.NEGATIVE_INFINITY);
    this.lostAt = grown(this.lostAt, capacity, NOT_LOST);
    this.lastBeforeTime = grown(this.lastBeforeTime, capacity * width, Number.NEGATIVE_INFINITY);
    this.lastBeforeReplica = grown(this.lastBeforeReplica, capacity * width, NO_REPLICA_ID);
    this.capacity = capacity;
  }
}

function grown<T extends Float64Array | Int32Array>(array: T, length: number, fill: number): T {
  const larger = new (array.constructor as new (length: number) => T)(length);
  larger.set(array);
  larger.fill(fill, array.length);
  return larger;
}
