/**
 * A stage is one toxic at work on one direction of one connection: bytes come in from the stage
 * before it (or the source socket), go out to what follows it (the next stage, or the destination
 * socket). Stages are chained in the order the toxics were added, as Toxiproxy chains its toxics.
 */

/** Where a stage's output goes; the link rewires it when stages are added or removed. */
export interface Sink {
  write(chunk: Buffer): void;
  /** No more data in this direction (the source ended, or a toxic closed it). */
  end(): void;
}

/** How the connection is closed once a close reaches the destination: FIN, or RST (reset_peer). */
export type CloseMode = 'fin' | 'rst';

export interface StageContext {
  /** What follows this stage now. */
  readonly out: Sink;
  /** Bytes this stage throws away, so the link's buffer accounting (and back-pressure) stays right. */
  dropped(bytes: number): void;
  /**
   * Ends this direction after what the stage has already passed on, and closes the whole connection
   * when that end reaches the destination — a Toxiproxy toxic closing its stub does the same.
   */
  closeConnection(mode: CloseMode): void;
}

export interface Stage {
  write(chunk: Buffer): void;
  end(): void;
  /**
   * The toxic leaves this live connection — removed, or updated (a new stage takes this one's
   * place): pass on at once what is held, as Toxiproxy does, and stop.
   */
  flush(why: 'removed' | 'updated'): void;
  /** The connection is gone: stop timers, drop what is held. */
  dispose(): void;
  /** State a replacement of this stage keeps when the toxic is updated (limit_data's count). */
  readonly carried?: unknown;
}

/** Whole-number attributes by name: every attribute of every toxic type is one. */
export type Attributes<Name extends string> = Readonly<Record<Name, number>>;

/** One toxic type: its attributes (in the order Toxiproxy prints them) and how it works on a stream. */
export interface ToxicKind<Name extends string = string> {
  readonly attributeNames: readonly Name[];
  /** A rule beyond "each attribute is an integer ≥ 0"; returns the problem, if any. */
  check?(attributes: Attributes<Name>): string | undefined;
  createStage(attributes: Attributes<Name>, context: StageContext, carried: unknown): Stage;
}

/** The stage of a toxic that the toxicity roll left out for this connection: bytes pass untouched. */
export function passThrough(context: StageContext): Stage {
  return {
    write: (chunk) => context.out.write(chunk),
    end: () => context.out.end(),
    flush: () => undefined,
    dispose: () => undefined,
  };
}
