/**
 * Reads a scenario file (YAML or JSON — JSON is read as YAML, which gives line numbers for both):
 * bytes → UTF-8 text → YAML within the size limits → plain data → validateScenario. Every step
 * ends in data or in a ScenarioError; nothing the file holds can crash, hang or flood the reader.
 */
import { open } from 'node:fs/promises';
import path from 'node:path';
import { LineCounter, parseDocument } from 'yaml';
import { decodeScenarioText } from './decode-text.ts';
import { displayPath, ScenarioError } from './errors.ts';
import { MAX_FILE_BYTES } from './input-limits.ts';
import { problem } from './problems.ts';
import type { Scenario } from './types.ts';
import { validateScenario } from './validate.ts';
import { yamlReferenceProblems } from './yaml-references.ts';
import { yamlSizeProblem } from './yaml-size.ts';

export const SCENARIO_EXTENSIONS = ['.yaml', '.yml', '.json'];

export async function loadScenario(file: string): Promise<Scenario> {
  return scenarioFromBytes(await readScenarioBytes(file), file);
}

/** What loadScenario does once it has the file's bytes (the property tests call it in-process). */
export function scenarioFromBytes(bytes: Uint8Array, file: string): Scenario {
  const shown = displayPath(file);
  return validateScenario(parseScenarioText(decodeScenarioText(bytes, shown), shown), path.resolve(file));
}

/** The file's bytes, when it is a regular file of a scenario's extension and size. */
async function readScenarioBytes(file: string): Promise<Uint8Array> {
  const shown = displayPath(file);
  const refuse = (expected: string): ScenarioError => new ScenarioError(shown, [problem([], shown, expected).line]);
  if (!SCENARIO_EXTENSIONS.includes(path.extname(file).toLowerCase())) throw refuse('a .yaml, .yml or .json file');
  let handle;
  try {
    handle = await open(file, 'r');
  } catch (error) {
    throw refuse((error as NodeJS.ErrnoException).code === 'ENOENT' ? 'an existing .yaml, .yml or .json file' : 'a readable .yaml, .yml or .json file');
  }
  try {
    // A FIFO or a device would never end (or never start): only a regular file is read.
    const stat = await handle.stat();
    if (!stat.isFile()) throw refuse('a regular file (not a directory, a pipe or a device)');
    if (stat.size > MAX_FILE_BYTES) throw tooBig(shown, stat.size);
    // Read one byte past the limit: a file that grew since stat is still refused, not cut.
    const buffer = Buffer.alloc(MAX_FILE_BYTES + 1);
    const { bytesRead } = await handle.read(buffer, 0, buffer.length, 0);
    if (bytesRead > MAX_FILE_BYTES) throw tooBig(shown, bytesRead);
    return buffer.subarray(0, bytesRead);
  } catch (error) {
    if (error instanceof ScenarioError) throw error;
    throw refuse('a readable .yaml, .yml or .json file');
  } finally {
    await handle.close();
  }
}

function tooBig(shown: string, bytes: number): ScenarioError {
  const format = (n: number): string => n.toLocaleString('en-US');
  return new ScenarioError(shown, [`${shown}: ${format(bytes)} bytes is not allowed; expected a file of at most ${format(MAX_FILE_BYTES)} bytes (256 KiB; a scenario is a few KB)`]);
}

/** YAML / JSON text → plain data; syntax errors become `file:line:column: message` lines. */
export function parseScenarioText(text: string, shown: string): unknown {
  const tooBigOrDeep = yamlSizeProblem(text, shown);
  if (tooBigOrDeep !== undefined) throw new ScenarioError(shown, [tooBigOrDeep]);
  const lineCounter = new LineCounter();
  // logLevel "error": the library would print its warnings on stderr, in the middle of ours.
  const doc = parseDocument(text, { prettyErrors: true, uniqueKeys: true, merge: true, lineCounter, logLevel: 'error' });
  if (doc.errors.length > 0) {
    const lines = doc.errors.map((error) => {
      const pos = error.linePos?.[0];
      const where = pos === undefined ? shown : `${shown}:${pos.line}:${pos.col}`;
      return `${where}: syntax error: ${error.message.split('\n')[0]?.replace(/ at line \d+, column \d+.*$/, '') ?? 'invalid YAML'}`;
    });
    throw new ScenarioError(shown, lines);
  }
  const references = yamlReferenceProblems(doc, text, lineCounter, shown);
  if (references.length > 0) throw new ScenarioError(shown, references);
  try {
    // The references are checked and the values counted (validateScenario does: aliases are shared
    // data, cheap to build); the library's own alias count would refuse sensible reuse.
    return doc.toJS({ maxAliasCount: -1 });
  } catch (error) {
    // Nothing known gets here; if something does, it is still this file's problem, not a crash.
    throw new ScenarioError(shown, [`${shown}: ${error instanceof Error ? error.message : String(error)} is not allowed; expected YAML or JSON that reads as plain data`]);
  }
}
