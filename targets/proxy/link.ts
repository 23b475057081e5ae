/**
 * One direction of one proxied connection: bytes from `source` to `dest`.
 *
 * With no toxic on its stream the link is a plain `source.pipe(dest)` — nothing of ours runs per
 * chunk, so the proxy adds no measurable latency. While toxics exist it runs them as a chain of
 * stages (one per toxic, in the order they were added, as Toxiproxy chains them) between a 'data'
 * listener and `dest.write`. Adding or removing a toxic switches a live link either way: what a
 * removed toxic held is passed on at once, in order, before the pipe takes over again.
 */
import type { Socket } from 'node:net';
import type { Toxic } from './toxic.ts';
import { passThrough, type CloseMode, type Sink, type Stage, type StageContext } from './toxics/stage.ts';

/**
 * Bytes a chain may hold (read from the source, not yet written to the destination) before the
 * source is paused: the window a latency toxic can keep in flight (at 200 ms, 5 MB/s), and the
 * most a bandwidth toxic queues ahead of its rate.
 */
export const LINK_BUFFER_BYTES = 1024 * 1024;

interface Entry {
  readonly toxic: Toxic;
  stage: Stage;
}

export class Link {
  private readonly entries: Entry[] = [];
  private chained = false;
  private stopped = false;
  private sourceEnded = false;
  /** Bytes inside the chain: read from the source, neither written to dest nor dropped. */
  private held = 0;
  private destBlocked = false;
  private pausedByUs = false;
  /** Set by a toxic that closes the connection; acted on when that end reaches the destination. */
  private closeMode: CloseMode | undefined;

  private readonly destSink: Sink = {
    write: (chunk) => {
      this.held -= chunk.length;
      if (!this.dest.write(chunk) && !this.destBlocked) {
        this.destBlocked = true;
        this.dest.once('drain', this.onDrain);
      }
      this.updateFlow();
    },
    end: () => {
      if (this.closeMode !== undefined) this.onClose(this.closeMode);
      else this.dest.end();
    },
  };

  constructor(
    private readonly source: Socket,
    private readonly dest: Socket,
    toxics: readonly Toxic[],
    /** Closes the whole connection (both sockets). */
    private readonly onClose: (mode: CloseMode) => void,
  ) {
    source.on('end', this.onEnd);
    for (const toxic of toxics) this.entries.push(this.createEntry(toxic, undefined));
    if (this.entries.length === 0) source.pipe(dest);
    else this.startChain();
  }

  /** A toxic added to the proxy: it joins the end of this link's chain. */
  addToxic(toxic: Toxic): void {
    if (this.stopped) return;
    this.entries.push(this.createEntry(toxic, undefined));
    if (!this.chained) {
      this.source.unpipe(this.dest);
      this.startChain();
    }
  }

  /** A toxic updated: a new stage with the new attributes (and a new toxicity roll) takes its place. */
  replaceToxic(toxic: Toxic): void {
    const index = this.entries.findIndex((entry) => entry.toxic.name === toxic.name);
    const old = this.entries[index];
    if (this.stopped || old === undefined) return;
    old.stage.flush('updated');
    if (this.stopped) return;
    this.entries[index] = this.createEntry(toxic, old.stage.carried);
  }

  removeToxic(name: string): void {
    const index = this.entries.findIndex((entry) => entry.toxic.name === name);
    const entry = this.entries[index];
    if (this.stopped || entry === undefined) return;
    // Still in the chain while it flushes, so what it passes on finds the stage after it.
    entry.stage.flush('removed');
    // Flushing may have closed the connection, which empties the chain.
    if (this.stopped) return;
    this.entries.splice(this.entries.indexOf(entry), 1);
    if (this.entries.length === 0) this.endChain();
  }

  /** The connection is closing or gone: no more forwarding, timers stopped, held data dropped. */
  stop(): void {
    if (this.stopped) return;
    this.stopped = true;
    this.source.off('end', this.onEnd);
    if (this.chained) {
      this.source.off('data', this.onData);
      this.dest.off('drain', this.onDrain);
    } else {
      this.source.unpipe(this.dest);
    }
    for (const entry of this.entries.splice(0)) entry.stage.dispose();
  }

  private startChain(): void {
    this.chained = true;
    this.held = 0;
    // The pipe may have left the destination waiting for 'drain'; the chain must wait for it too.
    this.destBlocked = this.dest.writableNeedDrain;
    if (this.destBlocked) this.dest.once('drain', this.onDrain);
    this.source.on('data', this.onData);
    this.updateFlow();
  }

  private endChain(): void {
    this.chained = false;
    this.source.off('data', this.onData);
    this.dest.off('drain', this.onDrain);
    this.destBlocked = false;
    this.pausedByUs = false;
    this.held = 0;
    // The end went through the chain already (each removed stage passed on what it held).
    if (this.sourceEnded) return;
    this.source.pipe(this.dest);
  }

  private createEntry(toxic: Toxic, carried: unknown): Entry {
    const entry: Entry = { toxic, stage: undefined as unknown as Stage };
    const context: StageContext = {
      out: this.sinkAfter(entry),
      dropped: (bytes) => {
        this.held -= bytes;
        this.updateFlow();
      },
      closeConnection: (mode) => {
        if (this.entries.includes(entry)) this.closeMode ??= mode;
        this.sinkAfter(entry).end();
      },
    };
    // Toxiproxy rolls per connection whether the toxic acts on it (`rand < toxicity`), and again on an update.
    entry.stage = Math.random() < toxic.toxicity ? toxic.kind.createStage(toxic.attributes, context, carried) : passThrough(context);
    return entry;
  }

  /** Whatever follows `entry` at the time of each call; nothing once the entry has left the chain. */
  private sinkAfter(entry: Entry): Sink {
    const next = (): Sink | undefined => {
      const index = this.entries.indexOf(entry);
      if (index < 0 || this.stopped) return undefined;
      return this.entries[index + 1]?.stage ?? this.destSink;
    };
    return {
      write: (chunk) => next()?.write(chunk),
      end: () => next()?.end(),
    };
  }

  private readonly onData = (chunk: Buffer): void => {
    const first = this.entries[0];
    if (first === undefined) return;
    this.held += chunk.length;
    first.stage.write(chunk);
    this.updateFlow();
  };

  private readonly onEnd = (): void => {
    this.sourceEnded = true;
    // A pipe ends the destination itself.
    if (this.chained) this.entries[0]?.stage.end();
  };

  private readonly onDrain = (): void => {
    this.destBlocked = false;
    this.updateFlow();
  };

  /** Back-pressure: the source waits while the destination is full or the chain holds too much. */
  private updateFlow(): void {
    if (!this.chained || this.stopped) return;
    const wait = this.destBlocked || this.held > LINK_BUFFER_BYTES;
    if (wait && !this.pausedByUs) {
      this.pausedByUs = true;
      this.source.pause();
    } else if (!wait && (this.pausedByUs || this.source.isPaused())) {
      this.pausedByUs = false;
      this.source.resume();
    }
  }
}
