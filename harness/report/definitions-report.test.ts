import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { analyzeRun, type Results } from '../analysis/index.ts';
import { belowBaselineTrial, invertedPhasesTrial, sessionlessTrial, sessionTrial, stallTrial } from '../analysis/testing/definition-trials.ts';
import { writeSyntheticRun, type SyntheticTrial } from '../analysis/testing/synthetic-run.ts';
import { evaluateVerdict } from '../verdict/index.ts';
import { renderHtml } from './html/render-html.ts';
import { renderMarkdown } from './markdown.ts';
import type { ReportInput } from './renderer.ts';
import { emptyRunInfo } from './run-info.ts';

/**
 * The words of issue 12's definitions in summary.md and report.html, on runs analysed from synthetic
 * trials whose figures the analysis tests check: only figures that apply, said plainly.
 */

const workDir = mkdtempSync(path.join(os.tmpdir(), 'report-definitions-'));
afterAll(() => rmSync(workDir, { recursive: true, force: true }));

async function reportOf(name: string, trials: SyntheticTrial[]): Promise<{ results: Results; md: string; html: string }> {
  const dir = path.join(workDir, name);
  writeSyntheticRun(dir, trials);
  const results = await analyzeRun(dir);
  const input: ReportInput = { results, run: emptyRunInfo(name), verdict: evaluateVerdict({ results }) };
  return { results, md: renderMarkdown(input), html: await renderHtml(input) };
}

const faultLines = (md: string): string[] => md.split('\n').filter((line) => line.startsWith('- ') && line.includes('**fault #'));
const section = (html: string, id: string): string => {
  const start = html.indexOf(`<section id="${id}">`);
  return html.slice(start, html.indexOf('</section>', start));
};

describe('the report of a kill, stateful against stateless', () => {
  const report = reportOf('kill', [sessionTrial('stateful', 'stateful'), sessionTrial('stateless', 'stateless')]);

  it('headlines the loss rate among the sessions open at the fault, with the pinned rate next to it', async () => {
    const { md } = await report;
    const lines = md.split('\n');
    const open = lines.indexOf('| Session loss rate: lost / open at the fault (worst fault) | 50 % | **0 %** ✓ |');
    expect(open).toBeGreaterThan(0);
    expect(lines[open + 1]).toBe('| Session loss rate: lost / pinned to the target (worst fault) | 100 % | **0 %** ✓ |');
  });

  it('says "expected to lose" only where sessions live in the replica, "last served by" elsewhere', async () => {
    const { md, html } = await report;
    const [stateful, stateless] = faultLines(md);
    expect(stateful).toContain('· sessions lost 5 of 10 open at the fault = 50 % (+1 not open at it) · 6 pinned to app-2 (expected to lose), 6 lost = 100 %');
    expect(stateless).toContain('· sessions lost 0 of 10 open at the fault = 0 % · 6 last served by app-2, 0 lost = 0 %');
    expect(stateless).not.toContain('expected');
    const faults = section(html, 'faults');
    expect(faults).toContain('pinned to app-2 (expected to lose)');
    expect(faults).toContain('last served by app-2');
  });

  it('says what detected the kill', async () => {
    const { md, html } = await report;
    for (const line of faultLines(md)) expect(line).toContain('· detected 289 ms by DNS: the address left Docker’s DNS ·');
    expect(section(html, 'faults')).toContain('DNS: the address left Docker’s DNS');
  });

  it('has a glossary that says how each definition is found', async () => {
    const { results } = await report;
    const definition = (term: string): string => results.glossary.find((entry) => entry.term === term)?.definition ?? '';
    expect(definition('Time')).toMatch(/t = 0 is when the load began \(the engine's own start\)/);
    expect(definition('Session loss rate')).toMatch(/lost \/ sessions open at the fault \(active in the 10 s before it and making a request after it\)/);
    expect(definition('Pinned to the target: expected to lose, or last served by the target')).toMatch(/^Expected to lose exists only where sessions live in the replica/);
    expect(definition('Recovery time')).toMatch(/on 100 ms buckets, are each back within the pre-fault band for 3 s in a row: the later of the two/);
    expect(definition('Slow requests')).toMatch(/slower than 10× the pre-fault p99 or than 1 s/);
    expect(definition('Detection time')).toMatch(/with what detected it \(health check, DNS, refused connection\)/);
    expect(definition('Excess errors')).toMatch(/never negative/);
  });
});

describe('the report of a stall after a kill', () => {
  it('shows recovery to the 100 ms for errors and latency, and the slow requests the error rate misses', async () => {
    const { md, html } = await reportOf('stall', [stallTrial('stateless')]);
    const [line] = faultLines(md);
    expect(line).toContain('· window errors 3 % (+30 excess) · 60 slow requests (over 50 ms) ·');
    expect(line).toContain('· recovered 1,500 ms (errors 300 ms, p99 1,500 ms) ·');
    expect(section(html, 'over-time')).toContain('slow requests');
  });
});

describe('the report of fewer errors than the baseline predicts, after a restart nobody saw', () => {
  it('says "below baseline", never a negative excess, and that the health checks never saw the replica down', async () => {
    const { md, html } = await reportOf('below', [belowBaselineTrial('stateless')]);
    const [line] = faultLines(md);
    expect(line).toContain('window errors 5 % (below baseline: 50 errors, 100 predicted)');
    expect(line).toContain('· never seen down: the replica was back before the health checks failed ·');
    expect(line).not.toMatch(/[−-][\d.]+ excess/);
    const faults = section(html, 'faults');
    expect(faults).toContain('below baseline: 50 errors, 100 predicted');
    expect(faults).toContain('never seen down');
  });
});

describe('the report of a workload without sessions', () => {
  it('shows no session figure at all', async () => {
    const { results, md, html } = await reportOf('bank', [sessionlessTrial('event-sourced')]);
    expect(results.comparison.map((entry) => entry.figure)).not.toContain('sessionsLost');
    expect(md).not.toMatch(/session/i);
    expect(faultLines(md)).toHaveLength(2);
    expect(section(html, 'faults')).not.toMatch(/session/i);
    expect(section(html, 'per-fault')).not.toMatch(/session/i);
    expect(section(html, 'trials')).toContain('none: the workload has no sessions');
  });
});

describe('the report of scale-out phases out of order', () => {
  it('reports the inversion as a measurement problem, beside the replica and in the warnings', async () => {
    const { md, html } = await reportOf('phases', [invertedPhasesTrial('stateless')]);
    expect(md).toContain('  - ⚠️ measurement problem: in LB (900 ms after T0) is before ready (1500 ms)');
    expect(md).toContain('- stateless: measurement problem: app-4 (fault #0): in LB (900 ms after T0) is before ready (1500 ms)');
    expect(section(html, 'scale-out')).toContain('⚠ measurement problem: in LB (900 ms after T0) is before ready (1500 ms)');
  });
});
