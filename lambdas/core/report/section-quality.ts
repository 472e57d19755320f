import { formatCount, formatPercent } from './format';
import { escapeHtml, num, section, table, type Cell } from './html';
import type { ReportData, SourceQuality } from './report-data';

/** Cell shading for a share of rows: transparent at 0, stronger as the share grows (capped so text stays legible). */
function shade(share: number): string | undefined {
  if (!(share > 0)) return undefined;
  const alpha = Math.min(0.45, 0.08 + share * 0.6);
  return `background:rgba(234,88,12,${alpha.toFixed(2)})`;
}

function countCell(count: number, rows: number): Cell {
  if (count === 0) return num('\u2013');
  return num(`${formatCount(count)} <span class="muted">(${formatPercent(count, rows)})</span>`, { style: shade(rows > 0 ? count / rows : 0) });
}

function fieldTable(sources: readonly SourceQuality[]): string {
  const fields = [...new Set(sources.flatMap((s) => [...Object.keys(s.missing), ...Object.keys(s.invalid)]))].sort();
  if (fields.length === 0) return '<p class="empty">No missing or invalid values were recorded.</p>';
  const head =
    `<tr><th rowspan="2">Field</th>${sources.map((s) => `<th colspan="2" class="group">${escapeHtml(s.source)}</th>`).join('')}</tr>` +
    `<tr>${sources.map(() => '<th class="num">Missing</th><th class="num">Invalid</th>').join('')}</tr>`;
  const rows = fields.map((field) => ({
    cells: [
      { html: escapeHtml(field), className: 'key' },
      ...sources.flatMap((s) => [countCell(s.missing[field] ?? 0, s.rows), countCell(s.invalid[field] ?? 0, s.rows)]),
    ],
  }));
  return table({ head, rows, caption: 'Missing and invalid values per field (invalid = present but rejected by normalisation)' });
}

/** Per-source data quality: missing and invalid values per field, duplicates within a company, stale records. */
export function qualitySection(data: ReportData): string {
  const summary = table({
    head: ['Source', num('Rows'), num('Duplicates within company'), num('Stale records')],
    rows: data.dataQuality.map((s) => ({
      cells: [escapeHtml(s.source), num(formatCount(s.rows)), countCell(s.duplicatesWithinCompany, s.rows), countCell(s.stale, s.rows)],
    })),
  });
  const body = data.dataQuality.length === 0 ? '<p class="empty">No data-quality figures for this run.</p>' : summary + fieldTable(data.dataQuality);
  const intro = `Counts per source of records with missing or invalid values, duplicates inside the same company, and records with no activity recently enough as of ${escapeHtml(data.asOf)}. Shading grows with the share of the source\u2019s rows.`;
  return section('quality', 'Data quality', intro, body);
}
