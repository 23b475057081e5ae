import { FONT_FAMILY } from './charts.ts';

/** The report's only stylesheet, inlined: the file must open offline with nothing else. */
export const STYLES = `
:root { color-scheme: light; --ink: #111827; --muted: #6b7280; --line: #e5e7eb; --soft: #f9fafb; --good: #166534; --good-bg: #dcfce7; --bad: #991b1b; --bad-bg: #fee2e2; --warn-bg: #fef3c7; }
* { box-sizing: border-box; }
body { margin: 0; font-family: ${FONT_FAMILY}; color: var(--ink); background: #fff; font-size: 14px; line-height: 1.45; }
main { max-width: 1440px; margin: 0 auto; padding: 24px 28px 48px; }
header { display: flex; flex-wrap: wrap; gap: 12px 24px; align-items: flex-start; justify-content: space-between; border-bottom: 1px solid var(--line); padding-bottom: 16px; }
h1 { font-size: 24px; margin: 0 0 4px; }
h2 { font-size: 18px; margin: 32px 0 10px; padding-top: 8px; border-top: 1px solid var(--line); }
h3 { font-size: 15px; margin: 18px 0 8px; }
p { margin: 6px 0; }
.sub { color: var(--muted); }
.badge { display: inline-block; padding: 6px 14px; border-radius: 999px; font-weight: 700; font-size: 15px; white-space: nowrap; }
.badge.passed { background: var(--good-bg); color: var(--good); }
.badge.failed { background: var(--bad-bg); color: var(--bad); }
.badge.none { background: var(--soft); color: var(--muted); border: 1px solid var(--line); }
table { border-collapse: collapse; width: 100%; font-variant-numeric: tabular-nums; }
th, td { text-align: left; padding: 5px 9px; border-bottom: 1px solid var(--line); vertical-align: top; }
th { background: var(--soft); font-weight: 600; font-size: 13px; }
td.num, th.num { text-align: right; white-space: nowrap; }
.headline td, .headline th { font-size: 15px; padding: 7px 12px; }
.headline td.best { background: var(--good-bg); color: var(--good); font-weight: 700; }
.better { font-size: 11px; font-weight: 700; margin-left: 6px; padding: 1px 6px; border-radius: 6px; background: var(--good); color: #fff; vertical-align: 1px; }
.never { color: var(--bad); font-weight: 600; }
section.caveats { background: var(--warn-bg); border-left: 4px solid #b45309; padding: 8px 16px; margin-top: 16px; }
section.caveats h2, section.problems h2 { margin-top: 8px; border-top: none; }
.caveat { color: #b45309; margin-left: 4px; cursor: help; }
section.problems { background: var(--bad-bg); color: var(--bad); border-left: 4px solid var(--bad); padding: 8px 16px; margin-top: 16px; }
.na { color: var(--muted); }
tr.fail td { background: var(--bad-bg); }
tr.missing td { background: var(--warn-bg); }
.result { font-weight: 700; white-space: nowrap; }
.nowrap { white-space: nowrap; }
.sub { color: var(--muted); font-size: 12px; white-space: nowrap; }
.sub.wrap { white-space: normal; }
table.faults td, table.faults th { padding: 5px 7px; }
.scroll { overflow-x: auto; }
.panels { display: grid; gap: 16px; }
.panel { border: 1px solid var(--line); border-radius: 8px; padding: 8px 10px 4px; min-width: 0; }
.panel h4 { margin: 0 0 2px; font-size: 14px; display: flex; align-items: center; gap: 8px; }
.swatch { display: inline-block; width: 12px; height: 12px; border-radius: 3px; }
.chart svg { width: 100%; height: auto; display: block; }
.note { color: var(--muted); font-size: 12.5px; }
dl.glossary { display: grid; grid-template-columns: minmax(160px, 220px) 1fr; gap: 8px 18px; margin: 0; }
dl.glossary dt { font-weight: 700; }
dl.glossary dd { margin: 0; }
dl.meta { display: grid; grid-template-columns: minmax(140px, 200px) 1fr; gap: 4px 18px; margin: 0; }
dl.meta dt { color: var(--muted); }
dl.meta dd { margin: 0; overflow-wrap: anywhere; }
code { font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; font-size: 12.5px; }
ul.warnings li { color: var(--bad); }
@media (max-width: 900px) { .panels { grid-template-columns: 1fr !important; } }
@media print { h2 { break-after: avoid; } .panel, table { break-inside: avoid; } }
`;
