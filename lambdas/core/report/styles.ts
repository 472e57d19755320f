/**
 * The report's only stylesheet, inlined. System font stacks only: the file must open offline and must not fetch
 * fonts. Charts carry their own colours, so this styles the page around them.
 */
export const REPORT_CSS = `
:root { --text:#1f2937; --muted:#6b7280; --line:#e5e7eb; --bg:#f8fafc; --card:#ffffff; --accent:#1e3a8a;
  --warn-bg:#fef2f2; --warn:#b91c1c; --note-bg:#fffbeb; --note:#92400e; --ok:#166534; }
* { box-sizing: border-box; }
html { -webkit-text-size-adjust: 100%; }
body { margin:0; background:var(--bg); color:var(--text);
  font: 14px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", "Liberation Sans", Arial, sans-serif; }
header.report-header { background:var(--accent); color:#fff; padding:24px 40px 20px; }
header.report-header h1 { margin:0 0 4px; font-size:24px; font-weight:600; letter-spacing:.2px; }
header.report-header .run-id { font-family: ui-monospace, "SFMono-Regular", Menlo, Consolas, "Liberation Mono", monospace; font-size:15px; opacity:.95; }
header.report-header dl { display:flex; flex-wrap:wrap; gap:4px 28px; margin:12px 0 0; font-size:13px; }
header.report-header dt { opacity:.75; }
header.report-header dd { margin:0; font-weight:600; }
header.report-header dl div { display:flex; gap:6px; }
nav.toc { position:sticky; top:0; z-index:1; background:#fff; border-bottom:1px solid var(--line); padding:8px 40px; display:flex; flex-wrap:wrap; gap:4px 18px; font-size:13px; }
nav.toc a { color:var(--accent); text-decoration:none; }
nav.toc a:hover { text-decoration:underline; }
main { max-width:1240px; margin:0 auto; padding:8px 40px 40px; }
.report-section { background:var(--card); border:1px solid var(--line); border-radius:8px; padding:20px 24px 24px; margin:20px 0; }
.report-section h2 { margin:0 0 6px; font-size:19px; font-weight:600; color:var(--accent); }
.report-section h3 { margin:20px 0 8px; font-size:15px; font-weight:600; }
p.intro { margin:0 0 14px; color:var(--muted); max-width:900px; }
.alert { border-left:4px solid var(--warn); background:var(--warn-bg); color:var(--warn); padding:10px 14px; border-radius:4px; margin:16px 0; font-weight:600; }
.notice { border-left:4px solid #d97706; background:var(--note-bg); color:var(--note); padding:10px 14px; border-radius:4px; margin:12px 0; }
.kpis { display:grid; grid-template-columns:repeat(auto-fill, minmax(160px, 1fr)); gap:12px; margin:8px 0 18px; }
.kpi { border:1px solid var(--line); border-radius:6px; padding:10px 14px; background:#fbfdff; }
.kpi .value { font-size:22px; font-weight:600; font-variant-numeric:tabular-nums; }
.kpi .label { font-size:12px; color:var(--muted); }
.kpi.bad { border-color:#fca5a5; background:var(--warn-bg); }
.kpi.bad .value { color:var(--warn); }
.table-wrap { overflow-x:auto; margin:8px 0 12px; }
table { border-collapse:collapse; font-size:13px; min-width:50%; }
caption { text-align:left; font-weight:600; padding:0 0 6px; }
th, td { padding:5px 10px; border-bottom:1px solid var(--line); text-align:left; vertical-align:top; }
thead th { background:#f1f5f9; font-weight:600; color:#334155; border-bottom:2px solid #cbd5e1; white-space:nowrap; }
tbody tr:nth-child(even) td { background:#fafafa; }
td.num, th.num { text-align:right; font-variant-numeric:tabular-nums; white-space:nowrap; }
td.key, .mono { font-family: ui-monospace, "SFMono-Regular", Menlo, Consolas, "Liberation Mono", monospace; font-size:12px; }
tr.unbalanced td { background:var(--warn-bg) !important; color:var(--warn); font-weight:600; }
tr.total td { font-weight:600; border-top:2px solid #cbd5e1; }
td.warn { color:var(--warn); font-weight:600; }
td.pos { color:#1d4ed8; }
td.neg { color:#c2410c; }
.muted { color:var(--muted); font-size:12px; }
th.group { text-align:center; border-bottom:1px solid #cbd5e1; }
.status-ok { color:var(--ok); font-weight:600; }
.status-bad { color:var(--warn); font-weight:600; }
.badge { display:inline-block; padding:0 7px; border-radius:10px; font-size:11px; line-height:18px; margin-right:4px; background:#e0e7ff; color:#3730a3; white-space:nowrap; }
.badge.veto { background:#ffedd5; color:#9a3412; }
.badge.confirm { background:#dcfce7; color:#166534; }
.badge.link { background:#dbeafe; color:#1e40af; }
.badge.review { background:#fef3c7; color:#92400e; }
dl.params { display:grid; grid-template-columns:max-content 1fr; gap:4px 18px; margin:8px 0 16px; font-size:13px; }
dl.params dt { color:var(--muted); }
dl.params dd { margin:0; font-variant-numeric:tabular-nums; }
.chart-box { overflow-x:auto; margin:8px 0 16px; }
svg.chart { display:block; max-width:100%; height:auto; font-family: system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", "Liberation Sans", Arial, sans-serif; }
.grid { display:grid; grid-template-columns:repeat(auto-fill, minmax(540px, 1fr)); gap:16px; }
.card { border:1px solid var(--line); border-radius:6px; padding:12px 14px; background:#fff; break-inside:avoid; }
.card h4 { margin:0 0 4px; font-size:13px; font-weight:600; word-break:break-all; }
.card .meta { font-size:12px; color:var(--muted); margin-bottom:6px; }
.card p.desc { margin:0 0 6px; color:var(--muted); font-size:12px; }
.empty { color:var(--muted); font-style:italic; }
.chart-key { display:flex; flex-wrap:wrap; gap:4px 18px; font-size:12px; color:var(--muted); margin:0 0 10px; }
.chart-key .item { display:inline-flex; align-items:center; gap:6px; }
.chart-key .swatch { display:inline-block; width:12px; height:12px; }
.chart-key .dash { display:inline-block; width:16px; height:0; border-top:2px dashed; }
.card table { width:100%; }
footer { color:var(--muted); font-size:12px; text-align:center; padding:0 40px 32px; }
@media print {
  body { background:#fff; font-size:11px; }
  nav.toc { display:none; }
  header.report-header { background:#fff; color:var(--text); border-bottom:2px solid var(--accent); padding:8px 0; }
  main { padding:0; max-width:none; }
  .report-section { border:none; padding:0; margin:16px 0; break-inside:auto; }
  .card, .kpi, tr { break-inside:avoid; }
  .grid { grid-template-columns:1fr 1fr; }
}
`;
