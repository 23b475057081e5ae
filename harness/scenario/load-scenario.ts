/** Reads a scenario file (YAML or JSON — JSON is read as YAML, which gives line numbers for both). */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { parseDocument } from 'yaml';
import { displayPath, ScenarioError } from './errors.ts';
import { problem } from './problems.ts';
import type { Scenario } from './types.ts';
import { validateScenario } from './validate.ts';

export const SCENARIO_EXTENSIONS = ['.yaml', '.yml', '.json'];

export async function loadScenario(file: string): Promise<Scenario> {
  const shown = displayPath(file);
  if (!SCENARIO_EXTENSIONS.includes(path.extname(file).toLowerCase())) {
    throw new ScenarioError(shown, [problem([], shown, 'a .yaml, .yml or .json file').line]);
  }
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    const reason = (error as NodeJS.ErrnoException).code === 'ENOENT' ? 'an existing' : 'a readable';
    throw new ScenarioError(shown, [problem([], shown, `${reason} .yaml, .yml or .json file`).line]);
  }
  return validateScenario(parseScenarioText(text, shown), path.resolve(file));
}

/** YAML / JSON text → plain data; syntax errors become `file:line:column: message` lines. */
export function parseScenarioText(text: string, shown: string): unknown {
  const doc = parseDocument(text, { prettyErrors: true, uniqueKeys: true, merge: true });
  if (doc.errors.length > 0) {
    const lines = doc.errors.map((error) => {
      const pos = error.linePos?.[0];
      const where = pos === undefined ? shown : `${shown}:${pos.line}:${pos.col}`;
      return `${where}: syntax error: ${error.message.split('\n')[0]?.replace(/ at line \d+, column \d+.*$/, '') ?? 'invalid YAML'}`;
    });
    throw new ScenarioError(shown, lines);
  }
  return doc.toJS({ maxAliasCount: 100 });
}
