/**
 * validateScenario: data any walk can finish, then the field rules (the schema), the cross-field
 * rules on whatever parsed, and the script's path; one ScenarioError with every problem, or the
 * normalised Scenario.
 */
import path from 'node:path';
import { inDocumentOrder } from './document-order.ts';
import { ScenarioError } from './errors.ts';
import { normalise } from './normalise.ts';
import { parseParts } from './parts.ts';
import { problem, valueAt, type Problem } from './problems.ts';
import { crossFieldProblems } from './rules/index.ts';
import { plainDataProblem } from './plain-data.ts';
import { loadSchema, scenarioFileSchema } from './schema.ts';
import { resolveScript } from './script-path.ts';
import type { Scenario } from './types.ts';
import { expectedPhrase, issuesToProblems } from './zod-problems.ts';

/**
 * @param raw    the parsed YAML / JSON
 * @param source the file it came from: relative script paths start from its directory
 */
export function validateScenario(raw: unknown, source: string): Scenario {
  const unwalkable = plainDataProblem(raw);
  if (unwalkable !== undefined) throw new ScenarioError(source, [unwalkable.line]);
  const parsed = scenarioFileSchema.safeParse(raw, { error: expectedPhrase });
  const lines: Problem[] = parsed.success ? [] : issuesToProblems(parsed.error.issues, raw);
  lines.push(...crossFieldProblems(parseParts(raw), raw));

  let scriptPath: string | undefined;
  // Looked up only when the field itself is valid: a 1 MB path would be quoted twice in the line.
  const script = loadSchema.shape.script.safeParse(valueAt(raw, ['load', 'script']));
  if (script.success) {
    const lookup = resolveScript(script.data, path.dirname(path.resolve(source)));
    if (lookup.ok) scriptPath = lookup.path;
    else lines.push(problem(['load', 'script'], script.data, lookup.expected));
  }

  if (lines.length === 0 && parsed.success && scriptPath !== undefined) return normalise(parsed.data, scriptPath, source);
  if (lines.length === 0) lines.push(problem([], raw, 'a scenario as described in harness/scenario/scenario.schema.json'));
  throw new ScenarioError(source, inDocumentOrder(lines, raw));
}
