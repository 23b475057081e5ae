import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { ResultsSchema, type Results } from '../../analysis/index.ts';
import { evaluateVerdict, type CliThreshold } from '../../verdict/index.ts';
import type { ReportInput } from '../renderer.ts';
import { runInfoFromManifest, type RunInfo } from '../run-info.ts';

/** The real run under fixtures/real-run, and variants of it, for the report and verdict tests. */

export const FIXTURE_DIR = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', 'fixtures', 'real-run');

export function fixtureResults(): Results {
  return ResultsSchema.parse(JSON.parse(readFileSync(path.join(FIXTURE_DIR, 'results.json'), 'utf8')));
}

export function fixtureManifest(): Record<string, unknown> {
  return JSON.parse(readFileSync(path.join(FIXTURE_DIR, 'manifest.json'), 'utf8')) as Record<string, unknown>;
}

export function fixtureRunInfo(manifest: Record<string, unknown> = fixtureManifest()): RunInfo {
  return runInfoFromManifest(manifest, 'manifest.json', 'fixture');
}

/** Strings that would run or break markup if a renderer forgot to escape them. */
export const HOSTILE = {
  replica: '<script>alert("replica")</script>',
  scenario: `<img src=x onerror=alert(1)> "'& | *bold* [link](x) \u0001`,
  warning: '</td></tr><svg onload=alert(3)>&amp; ]]> --> \u0001',
  architecture: 'stateless"><script>alert(4)</script>',
  description: "<iframe src='x'></iframe>",
} as const;

/**
 * The fixture with a hostile replica name (replacing app-2 everywhere, keys included), a hostile
 * architecture (replacing stateless), scenario name, description and warning.
 */
export function hostileInput(cliThresholds: readonly CliThreshold[] = []): ReportInput {
  const text = JSON.stringify(fixtureResults())
    .replaceAll('"app-2"', JSON.stringify(HOSTILE.replica))
    .replaceAll('"stateless"', JSON.stringify(HOSTILE.architecture));
  const results = ResultsSchema.parse(JSON.parse(text));
  for (const trial of results.trials) trial.warnings.push(HOSTILE.warning);
  const manifest = fixtureManifest();
  const scenario = manifest.scenario as Record<string, unknown>;
  manifest.name = HOSTILE.scenario;
  scenario.description = HOSTILE.description;
  const run = fixtureRunInfo(manifest);
  // Thresholds on the hostile architecture, so the verdict tables carry its name too.
  const thresholds: CliThreshold[] = [
    ...cliThresholds,
    { architecture: '*', metric: 'error_rate', scope: 'trial', max: 0.001, flag: '--max-error-rate', text: '0.001' },
  ];
  const verdict = evaluateVerdict({ results, scenarioThresholds: run.thresholds, cliThresholds: thresholds });
  return { results, run, verdict };
}

/** The fixture as rendered by `harness run`, with optional CLI thresholds. */
export function fixtureInput(cliThresholds: readonly CliThreshold[] = [], results: Results = fixtureResults()): ReportInput {
  const run = fixtureRunInfo();
  const verdict = evaluateVerdict({
    results,
    scenarioThresholds: run.thresholds,
    ...(run.plannedTrials === null ? {} : { scenarioTrials: run.plannedTrials }),
    cliThresholds,
  });
  return { results, run, verdict };
}

/** A temporary run directory holding the fixture's manifest.json and results.json (no raw files). */
export function fixtureRunDir(options: { manifest?: Record<string, unknown>; results?: Results } = {}): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'harness-report-'));
  writeFileSync(path.join(dir, 'manifest.json'), `${JSON.stringify(options.manifest ?? fixtureManifest(), null, 2)}\n`);
  writeFileSync(path.join(dir, 'results.json'), `${JSON.stringify(options.results ?? fixtureResults(), null, 2)}\n`);
  return dir;
}

/** A CLI threshold as readThresholdFlags would give it. */
export function cli(architecture: string, metric: CliThreshold['metric'], max: number, scope: CliThreshold['scope'] = 'trial'): CliThreshold {
  return { architecture, metric, scope, max, flag: 'test', text: `${architecture}:${scope}=${max}` };
}
