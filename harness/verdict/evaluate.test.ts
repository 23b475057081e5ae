import { describe, expect, it } from 'vitest';
import type { Results } from '../analysis/index.ts';
import { cli, fixtureResults } from '../report/testing/fixtures.ts';
import { evaluateVerdict } from './evaluate.ts';

// The fixture is a real run (the default comparison): stateful lost 6 sessions to a kill (6 of 11,525
// requests failed), stateless lost none (3 of 11,244); the LB saw both kills when Docker's DNS dropped
// the dead replica, and the two added replicas served requests within 2.2 s.
const results = (): Results => fixtureResults();
const only = (verdict: ReturnType<typeof evaluateVerdict>, architecture: string, metric: string) =>
  verdict.checks.filter((check) => check.trial === architecture && check.metric === metric);

describe('evaluateVerdict', () => {
  it('passes a threshold the figure is within, and fails one it exceeds, with the measured value', () => {
    const verdict = evaluateVerdict({ results: results(), cliThresholds: [cli('*', 'error_rate', 0.0004)] });
    const [stateful] = only(verdict, 'stateful', 'error_rate');
    const [stateless] = only(verdict, 'stateless', 'error_rate');
    expect(stateless).toMatchObject({ ok: true, status: 'pass', actual: 3 / 11_244, max: 0.0004, source: 'cli', scope: 'trial' });
    expect(stateful).toMatchObject({ ok: false, status: 'fail', actual: 6 / 11_525 });
    expect(stateful?.detail).toMatch(/0\.0521 % \(6 of 11525 requests failed\); > 0\.04 %/);
    expect(verdict).toMatchObject({ passed: false, status: 'failed', counts: { checks: 2, passed: 1, failed: 1, missing: 0 } });
  });

  it('passes a figure equal to its max (max is inclusive)', () => {
    const verdict = evaluateVerdict({ results: results(), cliThresholds: [cli('stateful', 'sessions_lost', 6)] });
    expect(verdict.passed).toBe(true);
  });

  it('fails a figure that cannot be measured, saying why, instead of passing silently', () => {
    const data = results();
    const kill = data.trials[1]?.faults[0];
    const added = data.trials[1]?.scaleOut[0];
    if (kill === undefined || added === undefined) throw new Error('fixture changed');
    kill.recoveryMs = null;
    kill.detectionMs = null;
    added.firstRequestMs = null;
    const verdict = evaluateVerdict({
      results: data,
      cliThresholds: [cli('stateless', 'recovery_ms', 60_000), cli('stateless', 'detection_ms', 60_000), cli('stateless', 'scale_out_ms', 60_000)],
    });
    expect(verdict.passed).toBe(false);
    expect(verdict.counts).toEqual({ checks: 3, passed: 0, failed: 3, missing: 3 });
    const [recovery, detection, scaleOut] = verdict.checks;
    expect(recovery).toMatchObject({ actual: null, ok: false, status: 'missing' });
    expect(recovery?.detail).toBe('not measured: fault #0 kill app-1: not recovered by the end of the trial');
    expect(detection?.detail).toBe('not measured: fault #0 kill app-1: the load balancer never marked app-1 down');
    expect(scaleOut?.detail).toBe('not measured: app-4 (fault #1): never served a request');
  });

  it('fails a threshold on a figure the trial has nothing to measure on', () => {
    const data = results();
    for (const trial of data.trials) trial.faults = [];
    const verdict = evaluateVerdict({ results: data, cliThresholds: [cli('stateful', 'recovery_ms', 1000), cli('stateful', 'error_rate', 1, 'fault-windows')] });
    expect(verdict.checks.map((check) => check.detail)).toEqual([
      'not measured: no fault in this trial to measure it on',
      'not measured: no fault in this trial to measure it on',
    ]);
  });

  it('takes the worst fault window for scope fault-windows, naming the fault', () => {
    const verdict = evaluateVerdict({ results: results(), cliThresholds: [cli('stateful', 'error_rate', 0.003, 'fault-windows')] });
    const [check] = verdict.checks;
    expect(check).toMatchObject({ ok: false, actual: 6 / 1894 });
    expect(check?.detail).toMatch(/^0\.317 % at fault #0 kill app-2 \(worst of 2\); > 0\.3 %$/);
  });

  it('measures the session loss rate over the whole trial, or per fault (of the sessions open at it) for fault-windows', () => {
    const verdict = evaluateVerdict({
      results: results(),
      cliThresholds: [cli('stateful', 'session_loss_rate', 1), cli('stateful', 'session_loss_rate', 1, 'fault-windows')],
    });
    // 6 of 485 sessions over the trial; 6 of the 19 open at the kill (not of the 337 seen after it).
    expect(verdict.checks.map((check) => check.actual)).toEqual([6 / 485, 6 / 19]);
  });

  it('has no session loss rate for a workload without sessions, and says so', () => {
    const data = results();
    for (const fault of data.trials[0]?.faults ?? []) fault.sessions = null;
    const verdict = evaluateVerdict({ results: data, cliThresholds: [cli('stateful', 'session_loss_rate', 1, 'fault-windows')] });
    expect(verdict.checks[0]).toMatchObject({ ok: false, status: 'missing', detail: 'not measured: fault #0 kill app-2: the workload has no sessions' });
  });

  it('lets a command-line threshold replace the scenario’s for the same metric and scope, and add to it otherwise', () => {
    const verdict = evaluateVerdict({
      results: results(),
      scenarioThresholds: {
        stateless: [
          { metric: 'error_rate', max: 0.0001, scope: 'trial' },
          { metric: 'p95_ms', max: 1000, scope: 'trial' },
        ],
      },
      cliThresholds: [cli('stateless', 'error_rate', 0.01), cli('stateless', 'sessions_lost', 0)],
    });
    expect(verdict.checks.map((check) => [check.metric, check.max, check.source, check.ok])).toEqual([
      ['error_rate', 0.01, 'cli', true],
      ['p95_ms', 1000, 'scenario', true],
      ['sessions_lost', 0, 'cli', true],
    ]);
    expect(verdict.passed).toBe(true);
  });

  it('applies "*" to every architecture, and an architecture’s own flag beats "*"', () => {
    const verdict = evaluateVerdict({
      results: results(),
      cliThresholds: [cli('stateless', 'sessions_lost', 2), cli('*', 'sessions_lost', 0)],
    });
    expect(verdict.checks.map((check) => [check.trial, check.max, check.ok])).toEqual([
      ['stateful', 0, false],
      ['stateless', 2, true],
    ]);
  });

  it('keeps the scenario’s "*" below its per-architecture entries', () => {
    const verdict = evaluateVerdict({
      results: results(),
      scenarioThresholds: { '*': [{ metric: 'p99_ms', max: 20, scope: 'trial' }], stateful: [{ metric: 'p99_ms', max: 500, scope: 'trial' }] },
    });
    expect(verdict.checks.map((check) => [check.trial, check.max, check.ok])).toEqual([
      ['stateful', 500, true],
      ['stateless', 20, false],
    ]);
  });

  it('fails the thresholds of a planned or named architecture that has no trial', () => {
    const verdict = evaluateVerdict({
      results: results(),
      scenarioTrials: ['stateful', 'stateless', 'event-sourced'].map((name) => ({ name, architecture: name })),
      scenarioThresholds: { 'event-sourced': [{ metric: 'error_rate', max: 0.01, scope: 'trial' }] },
      cliThresholds: [cli('event-sourced', 'sessions_lost', 0)],
    });
    expect(verdict.checks).toHaveLength(2);
    for (const check of verdict.checks) {
      expect(check).toMatchObject({ trial: 'event-sourced', ok: false, status: 'missing', detail: 'not measured: no event-sourced trial in this run’s results'.replace('’', "'") });
    }
  });

  it('passes with status no-thresholds when there is nothing to check', () => {
    const verdict = evaluateVerdict({ results: results(), scenarioThresholds: { stateful: [], stateless: [] } });
    expect(verdict).toMatchObject({ passed: true, status: 'no-thresholds', checks: [], trials: ['stateful', 'stateless'] });
  });

  it('ignores skipped faults and the end-of-trial reverts', () => {
    const data = results();
    const trial = data.trials[0];
    const kill = trial?.faults[0];
    if (trial === undefined || kill === undefined) throw new Error('fixture changed');
    trial.faults.push({ ...kill, index: 7, revert: true, recoveryMs: null }, { ...kill, index: 8, outcome: 'skipped', recoveryMs: null });
    const verdict = evaluateVerdict({ results: data, cliThresholds: [cli('stateful', 'recovery_ms', 5000)] });
    expect(verdict.checks[0]).toMatchObject({ ok: true, actual: 1400 });
  });
});
