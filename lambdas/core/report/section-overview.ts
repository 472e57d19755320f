import { formatCount } from './format';
import { escapeHtml, num, section, table } from './html';
import type { ReportData } from './report-data';
import { unaccounted, type ReportTotals } from './totals';

export function kpi(label: string, value: string, bad = false): string {
  return `<div class="kpi${bad ? ' bad' : ''}"><div class="value">${value}</div><div class="label">${escapeHtml(label)}</div></div>`;
}

/** Overview: headline figures and the row accounting check (rows read = in profiles + rejected, per source). */
export function overviewSection(data: ReportData, totals: ReportTotals): string {
  const kpis = [
    kpi('rows read', formatCount(totals.rowsRead)),
    kpi('rows rejected', formatCount(totals.rowsRejected)),
    kpi('unified profiles', formatCount(totals.profiles)),
    kpi('candidate pairs', formatCount(data.blocking.candidatePairs)),
    kpi('pairs linked', formatCount(totals.links)),
    kpi('pairs for review', formatCount(totals.review)),
    kpi('pairs kept apart', formatCount(totals.apart)),
    kpi('refused joins', formatCount(data.refusedJoins), data.refusedJoins > 0),
  ].join('');
  const rows = data.sources.map((s) => {
    const gap = unaccounted(s);
    const bad = !s.balanced || gap !== 0;
    const status = bad
      ? `<span class="status-bad">UNBALANCED: ${formatCount(Math.abs(gap))} row(s) ${gap >= 0 ? 'unaccounted for' : 'counted twice'}</span>`
      : '<span class="status-ok">balanced</span>';
    return {
      className: bad ? 'unbalanced' : undefined,
      cells: [escapeHtml(s.source), escapeHtml(s.company), num(formatCount(s.rowsRead)), num(formatCount(s.rowsInProfiles)), num(formatCount(s.rowsRejected)), status],
    };
  });
  rows.push({
    className: 'total',
    cells: ['All sources', '', num(formatCount(totals.rowsRead)), num(formatCount(totals.rowsInProfiles)), num(formatCount(totals.rowsRejected)), ''],
  });
  const alert =
    totals.unbalancedSources.length > 0
      ? `<div class="alert" role="alert">Row accounting does not balance for ${totals.unbalancedSources.map((s) => `"${escapeHtml(s)}"`).join(', ')}: some rows are neither in a profile nor in rejects.csv.</div>`
      : '';
  const accounting = table({
    head: ['Source', 'Company', num('Rows read'), num('In profiles'), num('Rejected'), 'Check'],
    rows,
    caption: 'Row accounting: every row read is either in a profile or rejected',
  });
  return section('overview', 'Overview', 'Headline figures for this run and the per-source row accounting.', alert + `<div class="kpis">${kpis}</div>` + accounting);
}
