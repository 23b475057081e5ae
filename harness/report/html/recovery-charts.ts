import type { TrialResult } from '../../analysis/index.ts';
import { html, type SafeHtml } from './safe-html.ts';
import { formatFigure } from '../../verdict/index.ts';
import type { ChartOption } from './charts.ts';
import { architectureColour } from './palette.ts';

/**
 * The event-sourced trade-off: each replay a replica made before it was ready, its duration and
 * (for restarts and scale-outs) its time to ready, against the events since the last snapshot.
 */
export function replayChart(trials: readonly TrialResult[]): ChartOption | undefined {
  const withReplays = trials.filter((trial) => trial.replays.length > 0);
  if (withReplays.length === 0) return undefined;
  return {
    // Wide gaps: the server-side renderer underestimates label widths, and long trial names overlapped.
    legend: { top: 4, itemGap: 28, textStyle: { fontSize: 11 } },
    grid: { left: 70, right: 24, top: 40, bottom: 44 },
    // Log scales: snapshot intervals differ by orders of magnitude, and so do the replays they cause.
    xAxis: { type: 'log', logBase: 10, name: 'events since the last snapshot (log scale)', nameLocation: 'middle', nameGap: 28, axisLabel: { fontSize: 11 } },
    yAxis: { type: 'log', logBase: 10, name: 'ms (log scale)', axisLabel: { fontSize: 11 } },
    series: withReplays.flatMap((trial) => {
      const colour = architectureColour(trial.name, trials.indexOf(trial));
      return [
        {
          type: 'scatter',
          name: `${trial.name}: replay`,
          symbol: 'circle',
          symbolSize: 9,
          itemStyle: { color: colour },
          data: trial.replays.map((replay) => logPoint(replay.eventsReplayed, replay.replayMs)),
        },
        {
          type: 'scatter',
          name: `${trial.name}: time to ready`,
          symbol: 'triangle',
          symbolSize: 11,
          itemStyle: { color: colour, opacity: 0.6 },
          data: trial.replays.flatMap((replay) => (replay.timeToReadyMs === null ? [] : [logPoint(replay.eventsReplayed, replay.timeToReadyMs)])),
        },
      ];
    }),
  };
}

/** A log axis has no 0: nothing replayed, or under a millisecond, is drawn at 1. */
function logPoint(events: number, ms: number): [number, number] {
  return [Math.max(1, events), Math.max(1, Math.round(ms))];
}

export function replayTable(trials: readonly TrialResult[]): SafeHtml {
  const rows = trials.flatMap((trial) =>
    trial.replays.map(
      (replay) => html`<tr><td>${trial.name}</td><td>${replay.replica}</td><td>${replay.cause}</td><td class="num">${(replay.atMs / 1000).toFixed(1)} s</td><td class="num">${formatFigure('count', replay.eventsReplayed)}</td><td>${replay.fromSnapshot ? 'yes' : 'no'}</td><td class="num">${formatFigure('ms', replay.replayMs)}</td><td class="num">${replay.eventsPerSecond === null ? 'n/a' : formatFigure('count', Math.round(replay.eventsPerSecond))}</td><td class="num">${replay.timeToReadyMs === null ? 'n/a' : formatFigure('ms', replay.timeToReadyMs)}</td></tr>`,
    ),
  );
  if (rows.length === 0) return html`<p>No replica replayed an event log in this run (no event-sourced trial).</p>`;
  return html`<div class="scroll"><table><thead><tr><th>Trial</th><th>Replica</th><th>Started by</th><th class="num">Ready at</th><th class="num">Events since snapshot</th><th>From a snapshot</th><th class="num">Replay</th><th class="num">Events/s</th><th class="num">Time to ready</th></tr></thead><tbody>${rows}</tbody></table></div>`;
}

/** Money conservation per trial of the bank script. */
export function bankTable(trials: readonly TrialResult[]): SafeHtml {
  const rows = trials.flatMap((trial) => {
    const bank = trial.bank;
    if (bank === null) return [];
    const verdict = bank.conservation === 'holds' ? html`<span class="better">holds</span>` : html`<span class="never">${bank.conservation}</span>`;
    return [
      html`<tr><td>${trial.name}</td><td>${verdict}</td><td class="num">${formatFigure('count', bank.lostTransactions)}</td><td class="num">${formatFigure('count', bank.duplicatedTransactions)}</td><td class="num">${formatFigure('count', bank.conservationViolations)}</td><td class="num">${formatFigure('count', bank.expectedBalanceCents)}</td><td class="num">${bank.auditBalanceCents === null ? 'not audited' : formatFigure('count', bank.auditBalanceCents)}</td><td class="num">${formatFigure('count', bank.missingCents)}</td></tr>`,
    ];
  });
  if (rows.length === 0) return html``;
  return html`<h3>Money conservation (bank audit)</h3><div class="scroll"><table><thead><tr><th>Trial</th><th>Conservation</th><th class="num">Transactions lost</th><th class="num">Applied twice</th><th class="num">Other violations</th><th class="num">Expected balance (cents)</th><th class="num">Audited balance (cents)</th><th class="num">Missing (cents)</th></tr></thead><tbody>${rows}</tbody></table></div>
<p class="note">Expected = confirmed deposits − confirmed withdrawals; operations whose outcome stayed unknown widen the range that counts as conserved.</p>`;
}
