/**
 * validateScenario: field rules (the schema), then the cross-field rules on whatever parsed, then
 * the script's path; one ScenarioError with every problem, or the normalised Scenario.
 */
import path from 'node:path';
import { inDocumentOrder } from './document-order.ts';
import { ScenarioError } from './errors.ts';
import { normalise } from './normalise.ts';
import { parseParts } from './parts.ts';
import { problem, valueAt, type Problem } from './problems.ts';
import { crossFieldProblems } from './rules/index.ts';
import { scenarioFileSchema } from './schema.ts';
import { resolveScript } from './script-path.ts';
import type { Scenario } from './types.ts';
import { expectedPhrase, issuesToProblems } from './zod-problems.ts';

/**
 * @param raw    the parsed YAML / JSON
 * @param source the file it came from: relative script paths start from its directory
 */
export function validateScenario(raw: unknown, source: string): Scenario {
  const parsed = scenarioFileSchema.safeParse(raw, { error: expectedPhrase });
  const lines: Problem[] = parsed.success ? [] : issuesToProblems(parsed.error.issues, raw);
  lines.push(...crossFieldProblems(parseParts(raw), raw));

  let scriptPath: string | undefined;
  const script = valueAt(raw, ['load', 'script']);
  if (typeof script === 'string' && script !== '') {
    const lookup = resolveScript(script, path.dirname(path.resolve(source)));
    if (lookup.ok) scriptPath = lookup.path;
    else lines.push(problem(['load', 'script'], script, lookup.expected));
  }

  if (lines.length === 0 && parsed.success && scriptPath !== undefined) return normalise(parsed.data, scriptPath, source);
  if (lines.length === 0) lines.push(problem([], raw, 'a scenario as described in harness/scenario/scenario.schema.json'));
  throw new ScenarioError(source, inDocumentOrder(lines, raw));
}
