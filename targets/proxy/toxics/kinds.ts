/** The toxic types this proxy knows, by Toxiproxy's names. */
import { bandwidth } from './bandwidth.ts';
import { latency } from './latency.ts';
import { limitData } from './limit-data.ts';
import { resetPeer } from './reset-peer.ts';
import { slicer } from './slicer.ts';
import { slowClose } from './slow-close.ts';
import type { ToxicKind } from './stage.ts';
import { timeout } from './timeout.ts';

export const TOXIC_KINDS: ReadonlyMap<string, ToxicKind> = new Map<string, ToxicKind>([
  ['latency', latency],
  ['bandwidth', bandwidth],
  ['slow_close', slowClose],
  ['timeout', timeout],
  ['reset_peer', resetPeer],
  ['slicer', slicer],
  ['limit_data', limitData],
]);
