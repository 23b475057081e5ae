/** The scale-out phases in the order they must happen (glossary: "Scale-out latency"), with the words the report uses. */
export const SCALE_OUT_PHASE_ORDER = [
  ['created', 'created'],
  ['started', 'started'],
  ['ready', 'ready'],
  ['inLb', 'in LB'],
  ['firstRequest', 'first request'],
] as const;

export type ScaleOutPhase = (typeof SCALE_OUT_PHASE_ORDER)[number][0];

/**
 * Phase inversions of one added replica: a phase recorded earlier than one that must precede it
 * (created ≤ started ≤ ready ≤ in LB ≤ first request). Each is a measurement problem — two clocks or
 * two sources that disagree — and is reported, never shown silently. Phases not recorded are skipped.
 */
export function phaseInversions(phases: Readonly<Record<ScaleOutPhase, number | null>>): string[] {
  const problems: string[] = [];
  let latest: { name: string; at: number } | undefined;
  for (const [key, name] of SCALE_OUT_PHASE_ORDER) {
    const at = phases[key];
    if (at === null) continue;
    if (latest !== undefined && at < latest.at) {
      problems.push(`${name} (${Math.round(at)} ms after T0) is before ${latest.name} (${Math.round(latest.at)} ms)`);
    } else {
      latest = { name, at };
    }
  }
  return problems;
}
