import { escapeHtml } from './html';
import type { ReportData } from './report-data';
import { blockingSection } from './section-blocking';
import { clustersSection } from './section-clusters';
import { modelSection } from './section-model';
import { overviewSection } from './section-overview';
import { qualitySection } from './section-quality';
import { suppressionsSection } from './section-suppressions';
import { waterfallsSection } from './section-waterfalls';
import { weightsSection } from './section-weights';
import { REPORT_CSS } from './styles';
import { reportTotals } from './totals';

/**
 * Blocks every fetch the browser might attempt: the report is opened from auditors' laptops and mail clients,
 * and must neither leak that it was opened nor depend on anything outside the file. Inline styles only.
 */
const CONTENT_SECURITY_POLICY = "default-src 'none'; style-src 'unsafe-inline'; img-src data:; form-action 'none'; base-uri 'none'";

const NAV: readonly [string, string][] = [
  ['overview', 'Overview'],
  ['blocking', 'Blocking'],
  ['model', 'Model'],
  ['weights', 'Match weights'],
  ['waterfalls', 'Pair explanations'],
  ['clusters', 'Profile sizes'],
  ['quality', 'Data quality'],
  ['suppressions', 'Suppressions'],
];

/**
 * Renders the match report as one self-contained HTML file: inline CSS, inline SVG charts, no scripts and no
 * external references, so it opens offline, prints, and can be archived with the run. Pure and deterministic:
 * the same data gives the same bytes (generatedAt is an input, never the clock).
 */
export function renderReportHtml(data: ReportData): string {
  const totals = reportTotals(data);
  const meta: [string, string][] = [
    ['As of', data.asOf],
    ['Engine', data.engineVersion],
    ['Generated', data.generatedAt],
    ['Sources', data.sources.map((s) => `${s.source} (${s.company})`).join(', ')],
  ];
  const header = `<header class="report-header">
<h1>Match report</h1>
<div class="run-id">Run ${escapeHtml(data.runId)}</div>
<dl>${meta.map(([k, v]) => `<div><dt>${escapeHtml(k)}</dt><dd>${escapeHtml(v)}</dd></div>`).join('')}</dl>
</header>`;
  const nav = `<nav class="toc">${NAV.map(([id, label]) => `<a href="#${id}">${escapeHtml(label)}</a>`).join('')}</nav>`;
  const sections = [
    overviewSection(data, totals),
    blockingSection(data),
    modelSection(data.model),
    weightsSection(data, totals),
    waterfallsSection(data),
    clustersSection(data, totals),
    qualitySection(data),
    suppressionsSection(data),
  ];
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${CONTENT_SECURITY_POLICY}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="generator" content="${escapeHtml(data.engineVersion)}">
<title>Match report ${escapeHtml(data.runId)}</title>
<style>${REPORT_CSS}</style>
</head>
<body>
${header}
${nav}
<main>
${sections.join('\n')}
</main>
<footer>Match report for run ${escapeHtml(data.runId)}, generated ${escapeHtml(data.generatedAt)} by ${escapeHtml(data.engineVersion)}. This file is self-contained: it loads nothing from the network.</footer>
</body>
</html>
`;
}
