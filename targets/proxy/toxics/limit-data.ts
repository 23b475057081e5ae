/**
 * limit_data: passes the first `bytes` bytes of this direction, then closes the connection (FIN
 * after those bytes). The count belongs to the connection: it survives an update of the toxic,
 * as Toxiproxy keeps it in its per-connection state.
 */
import type { ToxicKind } from './stage.ts';

interface Count {
  passed: number;
}

export const limitData: ToxicKind<'bytes'> = {
  attributeNames: ['bytes'],
  createStage(attributes, context, carried) {
    const count: Count = isCount(carried) ? carried : { passed: 0 };
    let closed = false;
    return {
      carried: count,
      write(chunk) {
        if (closed) {
          context.dropped(chunk.length);
          return;
        }
        const room = Math.max(0, attributes.bytes - count.passed);
        const kept = chunk.length <= room ? chunk : chunk.subarray(0, room);
        if (kept.length < chunk.length) context.dropped(chunk.length - kept.length);
        count.passed += kept.length;
        if (kept.length > 0) context.out.write(kept);
        if (count.passed >= attributes.bytes) {
          closed = true;
          context.closeConnection('fin');
        }
      },
      end() {
        if (!closed) context.out.end();
      },
      flush: () => undefined,
      dispose: () => undefined,
    };
  },
};

function isCount(value: unknown): value is Count {
  return typeof value === 'object' && value !== null && typeof (value as Count).passed === 'number';
}
