import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { describe, expect, it } from 'vitest';
import { renderJunit, RUN_COMPLETED_CASE } from './junit.ts';
import { cli, fixtureInput, fixtureResults } from './testing/fixtures.ts';

interface Testcase {
  classname: string;
  name: string;
  failure?: { message: string; type: string; '#text': string };
  'system-out'?: string;
}
interface Suite {
  name: string;
  tests: string;
  failures: string;
  testcase: Testcase[];
}

function parse(xml: string): { testsuites: { tests: string; failures: string; testsuite: Suite[] } } {
  expect(XMLValidator.validate(xml)).toBe(true);
  return new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '', isArray: (name) => ['testsuite', 'testcase', 'property'].includes(name) }).parse(xml) as ReturnType<typeof parse>;
}

describe('junit.xml', () => {
  it('has one test case per threshold per trial, failures carrying the measured value', () => {
    // The fixture's kills were both detected: one that was not makes a figure that cannot be measured.
    const results = fixtureResults();
    const kill = results.trials[0]?.faults[0];
    if (kill === undefined) throw new Error('fixture changed');
    kill.detectionMs = null;
    const input = fixtureInput([cli('*', 'error_rate', 0.0004), cli('stateless', 'recovery_ms', 1500), cli('stateful', 'detection_ms', 3000)], results);
    const { testsuites } = parse(renderJunit(input));
    expect(testsuites).toMatchObject({ tests: '4', failures: '2' });
    const [stateful, stateless] = testsuites.testsuite;
    expect(stateful).toMatchObject({ name: 'stateful', tests: '2', failures: '2' });
    expect(stateless).toMatchObject({ name: 'stateless', tests: '2', failures: '0' });
    expect(stateful?.testcase.map((testcase) => [testcase.classname, testcase.name])).toEqual([
      ['stateful', 'error_rate (trial) max 0.0004'],
      ['stateful', 'detection_ms (trial) max 3000'],
    ]);
    const [errorRate, detection] = stateful?.testcase ?? [];
    expect(errorRate?.failure).toMatchObject({ type: 'threshold', message: 'error_rate (trial) = 0.0521 %; max 0.04 %' });
    expect(errorRate?.failure?.['#text']).toMatch(/6 of 11525 requests failed/);
    expect(detection?.failure).toMatchObject({ type: 'missing-figure', message: 'detection_ms (trial) could not be measured; max 3,000 ms' });
    expect(stateless?.testcase.every((testcase) => testcase.failure === undefined)).toBe(true);
  });

  it('has a single passing "run completed" case per trial without thresholds', () => {
    const { testsuites } = parse(renderJunit(fixtureInput([cli('stateful', 'sessions_lost', 10)])));
    expect(testsuites).toMatchObject({ tests: '2', failures: '0' });
    const [stateful, stateless] = testsuites.testsuite;
    expect(stateful?.testcase.map((testcase) => testcase.name)).toEqual(['sessions_lost (trial) max 10']);
    expect(stateless?.testcase).toHaveLength(1);
    expect(stateless?.testcase[0]).toMatchObject({ classname: 'stateless', name: RUN_COMPLETED_CASE });
    expect(stateless?.testcase[0]?.failure).toBeUndefined();
  });
});
