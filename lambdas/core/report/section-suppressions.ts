import { horizontalBarChart } from './chart-bars';
import { formatCount } from './format';
import { escapeHtml, num, section, table } from './html';
import type { ReportData } from './report-data';

/** Suppression counts by reason category (a screening run); a merge run has none and says so. */
export function suppressionsSection(data: ReportData): string {
  // Largest first, then by name, so the order is stable whatever order the record's keys came in.
  const entries = Object.entries(data.suppressions).sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
  if (entries.length === 0)
    return section('suppressions', 'Suppressions', '', '<p class="empty">No suppressions in this run: a merge run screens no campaign list.</p>');
  // No share column: a row can be suppressed for several reasons, so the counts do not add up to the rows.
  const tableHtml = table({
    head: ['Reason', num('Rows with this reason')],
    rows: entries.map(([reason, n]) => ({ cells: [{ html: escapeHtml(reason), className: 'key' }, num(formatCount(n))] })),
  });
  const chart = horizontalBarChart(
    entries.map(([reason, n]) => ({ label: reason, value: n, valueLabel: formatCount(n) })),
    { label: 'Suppressions by reason', kind: 'suppressions', axisCaption: 'reasons given (a row can have several)' },
  );
  return section('suppressions', 'Suppressions', 'Why targets were suppressed, counted per reason category.', tableHtml + `<div class="chart-box">${chart}</div>`);
}
