/** Every example in harness/scenarios/ validates, and the default one is the comparison the issue asks for. */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { DEFAULT_SCENARIO_PATH, defaultScenario, SCENARIOS_DIR } from './defaults.ts';
import { loadScenario } from './load-scenario.ts';

const examples = readdirSync(SCENARIOS_DIR).filter((file) => /\.(ya?ml|json)$/.test(file));

describe('example scenarios', () => {
  it('include default, every-fault, an arrival rate and thresholds', () => {
    expect(examples).toEqual(expect.arrayContaining(['default.yaml', 'every-fault.yaml', 'arrival-rate.yaml', 'thresholds.yaml']));
  });

  it.each(examples)('%s validates and points editors at the JSON Schema', async (file) => {
    const full = path.join(SCENARIOS_DIR, file);
    const scenario = await loadScenario(full);
    expect(scenario.source).toBe(full);
    expect(readFileSync(full, 'utf8')).toMatch(/^# yaml-language-server: \$schema=\.\.\/scenario\/scenario\.schema\.json$/m);
  });

  it('default: stateful vs stateless, 3 replicas, kill the busiest at about 1/3, scale out by 2 at about 2/3, about 60 s', async () => {
    const scenario = await defaultScenario();
    expect(scenario.source).toBe(DEFAULT_SCENARIO_PATH);
    expect(scenario.architectures).toEqual(['stateful', 'stateless']);
    expect(scenario.replicas).toBe(3);
    expect(scenario.load.durationMs).toBe(60_000);
    expect(scenario.load.script).toMatch(/k6-scripts\/session-journey\.ts$/);
    expect(scenario.load.shape).toEqual({ executor: 'constant-vus', vus: 20, durationMs: 60_000 });
    expect(scenario.faults.map((f) => [f.action, f.target, f.count])).toEqual([
      ['kill', 'busiest', 1],
      ['scale-out', null, 2],
    ]);
    const [kill, scale] = scenario.faults;
    expect(Math.abs((kill?.atMs ?? 0) - 20_000)).toBeLessThanOrEqual(1000);
    expect(Math.abs((scale?.atMs ?? 0) - 40_000)).toBeLessThanOrEqual(1000);
  });

  it('every-fault uses every action and the data tier', async () => {
    const scenario = await loadScenario(path.join(SCENARIOS_DIR, 'every-fault.yaml'));
    expect(new Set(scenario.faults.map((f) => f.action))).toEqual(
      new Set(['kill', 'stop', 'restart', 'pause', 'unpause', 'scale-out', 'scale-in', 'partition', 'heal']),
    );
    expect(scenario.faults.filter((f) => f.target === 'datastore').map((f) => f.action)).toEqual(['kill', 'restart']);
    expect(scenario.architectures).toEqual(['stateless', 'event-sourced']);
  });

  it('recovery: event-sourced variants that differ only in the snapshot interval, on one seeded history', async () => {
    const scenario = await loadScenario(path.join(SCENARIOS_DIR, 'recovery.yaml'));
    expect(scenario.trials.map((t) => [t.name, t.architecture, t.appEnv.SNAPSHOT_EVERY_EVENTS, t.appEnv.SNAPSHOT_EVERY_MS, t.seedEvents])).toEqual([
      ['snapshot-every-1k', 'event-sourced', '1000', '0', 300_000],
      ['snapshot-every-100k', 'event-sourced', '100000', '0', 300_000],
      ['nightly-snapshot', 'event-sourced', '0', '0', 300_000],
    ]);
    expect(scenario.faults.map((f) => f.action)).toEqual(['restart', 'restart', 'restart']);
  });
});
