/** Rules across top-level fields: trial names used once, maxReplicas not below replicas. */
import type { Parts } from '../parts.ts';
import { problem, type Problem } from '../problems.ts';

export function generalRules(parts: Parts, raw: Record<string, unknown>): Problem[] {
  const lines: Problem[] = [];
  const seen = new Map<string, number>();
  for (const { index, name } of parts.architectureEntries) {
    const first = seen.get(name);
    if (first === undefined) seen.set(name, index);
    else lines.push(problem(['architectures', index], name, `each trial name once (it is already architectures[${first}]; a variant needs a name of its own)`));
  }
  if (raw['maxReplicas'] !== undefined && parts.maxReplicas !== undefined && parts.replicas !== undefined && parts.maxReplicas < parts.replicas) {
    lines.push(problem(['maxReplicas'], parts.maxReplicas, `at least replicas (${parts.replicas})`));
  }
  return lines;
}
