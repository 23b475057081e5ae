/**
 * reset_peer: the first data (or end) that reaches the toxic starts a `timeout` ms timer (0 = at
 * once); then the connection is reset — both peers get an RST (ECONNRESET), as with SO_LINGER 0.
 * Data from then on is dropped, as Toxiproxy's toxic stops reading. A reset already under way still
 * happens if the toxic is removed, at once: Toxiproxy's cannot be interrupted while it waits either.
 */
import type { ToxicKind } from './stage.ts';

export const resetPeer: ToxicKind<'timeout'> = {
  attributeNames: ['timeout'],
  createStage(attributes, context) {
    let timer: NodeJS.Timeout | undefined;
    let triggered = false;
    let done = false;
    const reset = (): void => {
      clearTimeout(timer);
      if (done) return;
      done = true;
      context.closeConnection('rst');
    };
    const trigger = (): void => {
      if (triggered) return;
      triggered = true;
      timer = setTimeout(reset, attributes.timeout);
    };
    return {
      write(chunk) {
        context.dropped(chunk.length);
        trigger();
      },
      end: trigger,
      flush: () => {
        if (triggered) reset();
      },
      dispose: () => clearTimeout(timer),
    };
  },
};
