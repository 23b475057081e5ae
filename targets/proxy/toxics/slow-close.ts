/**
 * slow_close: data passes at once; the end of the stream (the source's FIN, or a close from a toxic
 * before this one) is passed on `delay` ms later. Removing the toxic passes a held end on at once.
 */
import type { ToxicKind } from './stage.ts';

export const slowClose: ToxicKind<'delay'> = {
  attributeNames: ['delay'],
  createStage(attributes, context) {
    let timer: NodeJS.Timeout | undefined;
    const passEnd = (): void => {
      if (timer !== undefined) clearTimeout(timer);
      timer = undefined;
      context.out.end();
    };
    return {
      write: (chunk) => context.out.write(chunk),
      end: () => {
        timer = setTimeout(passEnd, attributes.delay);
      },
      flush: () => {
        if (timer !== undefined) passEnd();
      },
      dispose: () => clearTimeout(timer),
    };
  },
};
