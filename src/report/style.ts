/** The brief's stylesheet, inlined so the file stands alone; tuned for screen and for A4 print. */
export const REPORT_CSS = `
@page { size: A4; margin: 13mm 12mm 14mm; }
:root { --ink: #1f2937; --muted: #6b7280; --line: #e5e7eb; --accent: #1d4ed8; }
* { box-sizing: border-box; }
body { margin: 0 auto; max-width: 760px; padding: 28px 20px 40px; color: var(--ink);
  font: 12.5px/1.5 'Inter', 'Segoe UI', 'Helvetica Neue', Arial, sans-serif; background: #fff; }
.masthead { border-bottom: 3px solid #0f172a; padding-bottom: 10px; margin-bottom: 14px; }
.kicker { font-size: 10.5px; font-weight: 700; letter-spacing: 0.16em; color: #b42318; }
h1 { font-size: 24px; line-height: 1.2; margin: 4px 0 6px; }
.meta { color: var(--muted); font-size: 11.5px; }
h2 { font-size: 14.5px; margin: 22px 0 8px; padding-bottom: 4px; border-bottom: 1px solid var(--line); break-after: avoid; }
section { break-inside: avoid; }
.tiles { display: grid; grid-template-columns: repeat(5, 1fr); gap: 8px; margin: 12px 0 4px; }
.tile { border: 1px solid var(--line); border-radius: 6px; padding: 8px 10px; background: #f9fafb; }
.tile .value { font-size: 21px; font-weight: 800; font-variant-numeric: tabular-nums; }
.tile .label { font-size: 10px; text-transform: uppercase; letter-spacing: 0.07em; color: var(--muted); }
.tile .sub { font-size: 10.5px; color: var(--muted); }
.key ul { margin: 0; padding-left: 18px; }
.key li { margin: 3px 0; }
.svg svg { display: block; width: 100%; height: auto; }
.caption { color: var(--muted); font-size: 10.5px; margin: 6px 0 0; }
.muted { color: var(--muted); }
table.data { width: 100%; border-collapse: collapse; font-size: 11px; margin-top: 8px; }
table.data th { text-align: left; font-weight: 600; color: var(--muted); border-bottom: 1px solid #d1d5db; padding: 4px 6px; }
table.data th.num { text-align: right; }
table.data td { border-bottom: 1px solid #f0f1f3; padding: 4px 6px; vertical-align: top; }
table.data tr { break-inside: avoid; }
.num { text-align: right; font-variant-numeric: tabular-nums; }
.nowrap { white-space: nowrap; }
.dot { display: inline-block; width: 8px; height: 8px; border-radius: 50%; margin-right: 5px; }
.risk { font-weight: 700; padding: 1px 6px; border-radius: 3px; white-space: nowrap; text-transform: capitalize; }
.risk.low { background: #dcfae6; color: #067647; }
.risk.elevated { background: #fef0c7; color: #b54708; }
.risk.high, .risk.severe { background: #fee4e2; color: #b42318; }
.verdict { font-weight: 700; padding: 1px 6px; border-radius: 3px; white-space: nowrap; text-transform: capitalize; }
.verdict.consistent { background: #dcfae6; color: #067647; }
.verdict.not-enough-data { background: #f2f4f7; color: #344054; }
.verdict.inconsistent { background: #fee4e2; color: #b42318; }
.parts div { font-size: 10.5px; color: var(--muted); }
.method p { font-size: 11px; color: #374151; }
@media print { body { padding: 0; max-width: none; } h2 { margin-top: 16px; } }
`;
