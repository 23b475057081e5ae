/**
 * timeout: nothing gets through — data is dropped — and the connection is closed once `timeout` ms
 * pass without data reaching the toxic (Toxiproxy restarts its timer with each chunk it drops);
 * 0 = never closed, data dropped for as long as the toxic stays. Removing the toxic closes the
 * connections it held, as Toxiproxy's cleanup does: the bytes it dropped are gone, so the stream
 * could not go on intact. An update only restarts the timer.
 */
import type { ToxicKind } from './stage.ts';

export const timeout: ToxicKind<'timeout'> = {
  attributeNames: ['timeout'],
  createStage(attributes, context) {
    let timer: NodeJS.Timeout | undefined;
    let closed = false;
    const close = (): void => {
      clearTimeout(timer);
      if (closed) return;
      closed = true;
      context.closeConnection('fin');
    };
    const arm = (): void => {
      if (attributes.timeout <= 0 || closed) return;
      clearTimeout(timer);
      timer = setTimeout(close, attributes.timeout);
    };
    arm();
    return {
      write(chunk) {
        context.dropped(chunk.length);
        arm();
      },
      end() {
        clearTimeout(timer);
        if (closed) return;
        closed = true;
        context.out.end();
      },
      // An update starts a fresh timer in the new stage; only a removal ends what was held.
      flush: (why) => (why === 'removed' ? close() : clearTimeout(timer)),
      dispose: () => clearTimeout(timer),
    };
  },
};
