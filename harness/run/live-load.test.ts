import { describe, expect, it } from 'vitest';
import { LiveLoad } from './live-load.ts';
import { trialStart } from './load-start.ts';

const START = Date.UTC(2026, 11, 1, 23, 27, 48, 122);

describe('LiveLoad', () => {
  it("knows the load runs once its engine says it started, and keeps that first start", () => {
    const live = new LiveLoad();
    expect(live.start).toBeUndefined();
    live.add({ type: 'started', start: { at: START + 0.4, source: 'engine' } });
    live.add({ type: 'started', start: { at: START + 99, source: 'engine' } });
    expect(live.start).toEqual({ at: START + 0.4, source: 'engine' });
  });

  it('adds up the requests and failures each second, whatever events they came in', () => {
    const live = new LiveLoad();
    const second = Math.floor(START / 1000);
    live.add({ type: 'requests', counts: [{ second, requests: 3, failed: 1 }] });
    live.add({ type: 'requests', counts: [{ second, requests: 2, failed: 0 }, { second: second + 1, requests: 4, failed: 4 }] });
    expect(live.lastSecond((second + 1) * 1000 + 500)).toEqual({ requests: 5, failed: 1 });
    expect(live.lastSecond((second + 2) * 1000)).toEqual({ requests: 4, failed: 4 });
    expect(live.lastSecond((second + 5) * 1000)).toEqual({ requests: 0, failed: 0 });
    expect([live.requests, live.failed]).toEqual([9, 5]);
  });
});

describe('trialStart', () => {
  it("takes the built-in engine's own start, in whole milliseconds as load-generator.json has it", () => {
    expect(trialStart({ at: START + 0.9, source: 'engine' })).toEqual({ t0: START, source: 'engine-start' });
  });

  it('takes the start the load file tells for k6, as it tells it', () => {
    expect(trialStart({ at: START + 34.75, source: 'output' })).toEqual({ t0: START + 34.75, source: 'load-file' });
  });
});
