/**
 * Figures the toxic tests measure, printed when PROXY_TEST_REPORT=1 (for the README and reviews),
 * silent otherwise.
 */
export function reportFigure(what: string, value: number, unit: string): void {
  if (process.env.PROXY_TEST_REPORT === '1') process.stdout.write(`[proxy figure] ${what}: ${value.toFixed(2)} ${unit}\n`);
}
