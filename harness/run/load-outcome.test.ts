import { describe, expect, it } from 'vitest';
import { K6_EXIT } from '../load/contract.ts';
import { engineErrorLine, exitMeaning, loadProblem } from './load-outcome.ts';

const measured = { sawPoints: true, requests: 120, stderr: '', faultsPlanned: 2, faultsStarted: 2 };

describe('loadProblem: only a load that ran and measured is a completed trial', () => {
  it('accepts k6 exit 0 and 99 (the script’s own thresholds failed) when points and requests were written', () => {
    expect(loadProblem({ ...measured, exitCode: K6_EXIT.ok })).toBeUndefined();
    expect(loadProblem({ ...measured, exitCode: K6_EXIT.thresholdsHaveFailed })).toBeUndefined();
  });

  it('fails every other exit code, k6’s and the shell’s, with its meaning', () => {
    const others = [...Object.values(K6_EXIT).filter((code) => code !== 0 && code !== 99), 1, 2, 130, 137, 255];
    for (const exitCode of others) {
      const problem = loadProblem({ ...measured, exitCode });
      expect(problem, String(exitCode)).toBeDefined();
      expect(problem!.message).toMatch(new RegExp(`^the load exited with ${exitCode} \\(${escape(exitMeaning(exitCode).meaning)}\\)`));
      expect(problem!.hint.length, String(exitCode)).toBeGreaterThan(0);
    }
  });

  it('fails a load that exited 0 without writing a point, or without a single request', () => {
    expect(loadProblem({ ...measured, exitCode: 0, sawPoints: false, requests: 0 })?.message).toBe('the load exited with 0 but wrote no load point');
    expect(loadProblem({ ...measured, exitCode: 0, requests: 0 })?.message).toBe('the load made no HTTP request');
  });

  it('fails a load that ended before every planned fault had started: those faults were not tested', () => {
    expect(loadProblem({ ...measured, exitCode: 0, faultsPlanned: 3, faultsStarted: 1 })?.message).toBe(
      'only 1 of 3 planned fault(s) ran: the load ended before the others were due',
    );
  });

  it('quotes the engine’s own error line, not its banner or info lines', () => {
    const k6Stderr = [
      '',
      '          /\\      |‾‾| /‾‾/   /‾‾/   ',
      '     execution: local',
      'time="2026-12-01T10:00:00Z" level=info msg="starting" source=console',
      'time="2026-12-01T10:00:00Z" level=error msg="SyntaxError: file:///work/session-journey.ts: Unexpected token (1:7)\\n> 1 | import type { Options } from \'k6/options\';\\n\\tat <eval>" hint="script exception"',
      '',
    ].join('\n');
    const problem = loadProblem({ ...measured, exitCode: K6_EXIT.scriptException, sawPoints: false, requests: 0, stderr: k6Stderr });
    expect(problem?.message).toBe(
      'the load exited with 107 (the script threw an exception): SyntaxError: file:///work/session-journey.ts: Unexpected token (1:7)',
    );
  });
});

describe('engineErrorLine', () => {
  it('reads k6’s terminal format, the built-in engine’s, and the harness’s own errors', () => {
    expect(engineErrorLine('INFO[0000] hello\nERRO[0001] ReferenceError: x is not defined\n')).toBe('ReferenceError: x is not defined');
    expect(engineErrorLine("harness load: engine builtin\nerror [E_K6_CONFIG]: the script's init code failed: Error: boom\n  hint: fix it\n")).toBe(
      "the script's init code failed: Error: boom",
    );
    expect(engineErrorLine('error: something odd\n')).toBe('something odd');
    expect(engineErrorLine('time="x" level=fatal msg=unquoted-message\n')).toBe('unquoted-message');
  });

  it('takes the last error, and nothing when there is none', () => {
    expect(engineErrorLine('ERRO[0000] first\nERRO[0002] second\n')).toBe('second');
    expect(engineErrorLine('time="x" level=warning msg="not an error"\nrunning (01.0s)\n')).toBeUndefined();
  });

  it('cuts a long message to 400 characters', () => {
    const line = engineErrorLine(`ERRO[0000] ${'x'.repeat(5000)}`);
    expect(line).toHaveLength(400);
    expect(line!.endsWith('…')).toBe(true);
  });
});

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
