import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../core/paths.ts';
import { ScenarioError } from './errors.ts';
import { loadScenario } from './load-scenario.ts';

const dir = mkdtempSync(path.join(tmpdir(), 'scenario-test-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function write(name: string, text: string): string {
  const file = path.join(dir, name);
  writeFileSync(file, text);
  return file;
}

async function problems(file: string): Promise<readonly string[]> {
  const error = await loadScenario(file).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(ScenarioError);
  return error instanceof ScenarioError ? error.problems : [];
}

const VALID_YAML = `name: from a file
architectures: [stateless]
replicas: 2
load:
  script: k6-scripts/browse.ts
  vus: 2
  duration: 10s
`;

describe('loadScenario', () => {
  it('reads YAML, and resolves the script from the repository root when it is not next to the file', async () => {
    const scenario = await loadScenario(write('ok.yaml', VALID_YAML));
    expect(scenario.name).toBe('from a file');
    expect(scenario.load.script).toBe(path.join(REPO_ROOT, 'k6-scripts', 'browse.ts'));
  });

  it('reads JSON, $schema included', async () => {
    const json = { $schema: 'scenario.schema.json', name: 'json', architectures: ['stateful'], replicas: 1, load: { script: 'k6-scripts/browse.ts', vus: 1, duration: '5s' } };
    expect((await loadScenario(write('ok.json', JSON.stringify(json)))).name).toBe('json');
  });

  it('names the line and column of YAML syntax errors', async () => {
    const file = write('broken.yaml', 'name: x\nreplicas: [1, 2\nload: {}\n');
    const lines = await problems(file);
    expect(lines.length).toBeGreaterThan(0);
    for (const line of lines) expect(line).toMatch(new RegExp(`^${file.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}:\\d+:\\d+: syntax error: `));
  });

  it('rejects a key written twice, with its line', async () => {
    const file = write('twice.yaml', `${VALID_YAML}replicas: 3\n`);
    expect(await problems(file)).toEqual([`${file}:8:1: syntax error: Map keys must be unique`]);
  });

  it('reports JSON syntax errors with their line', async () => {
    const file = write('broken.json', '{\n  "name": "x",\n  "replicas": 3,,\n}');
    const lines = await problems(file);
    expect(lines[0]).toMatch(/broken\.json:3:\d+: syntax error: /);
  });

  it('names a missing file and a wrong extension', async () => {
    const missing = path.join(dir, 'missing.yaml');
    expect(await problems(missing)).toEqual([`scenario: ${JSON.stringify(missing)} is not allowed; expected an existing .yaml, .yml or .json file`]);
    const text = write('scenario.txt', VALID_YAML);
    expect(await problems(text)).toEqual([`scenario: ${JSON.stringify(text)} is not allowed; expected a .yaml, .yml or .json file`]);
  });

  it('validates what it read: schema problems carry paths, not lines', async () => {
    const file = write('bad.yaml', VALID_YAML.replace('replicas: 2', 'replicas: 40'));
    expect(await problems(file)).toEqual(['replicas: 40 is not allowed; expected an integer from 1 to 16']);
  });
});
