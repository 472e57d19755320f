import { horizontalBarChart } from './chart-bars';
import { formatCount, formatPercent } from './format';
import { section } from './html';
import type { ReportData } from './report-data';
import { kpi } from './section-overview';
import type { ReportTotals } from './totals';

/** Profile (cluster) sizes: how many people were built from 1, 2, 3... records. */
export function clustersSection(data: ReportData, totals: ReportTotals): string {
  const sizes = Object.entries(data.clusterSizes)
    .map(([size, count]) => ({ size: Number(size), count }))
    .sort((a, b) => a.size - b.size);
  const kpis = [
    kpi('profiles', formatCount(totals.profiles)),
    kpi('profiles from 2+ records', formatCount(totals.multiRecordProfiles)),
    kpi('largest profile (records)', formatCount(totals.largestCluster)),
    kpi('refused joins', formatCount(data.refusedJoins), data.refusedJoins > 0),
  ].join('');
  const chart =
    sizes.length === 0
      ? '<p class="empty">No profiles.</p>'
      : `<div class="chart-box">${horizontalBarChart(
          sizes.map((s) => ({
            label: `${s.size} record${s.size === 1 ? '' : 's'}`,
            value: s.count,
            valueLabel: `${formatCount(s.count)} (${formatPercent(s.count, totals.profiles)})`,
          })),
          { label: 'Number of profiles by size', kind: 'cluster-sizes', axisCaption: 'profiles' },
        )}</div>`;
  const refused =
    data.refusedJoins > 0
      ? `<div class="notice">${formatCount(data.refusedJoins)} link(s) were not applied because joining would have put clearly different records in one profile or exceeded the profile size cap; those pairs are listed in matches.csv.</div>`
      : '';
  return section('clusters', 'Profile sizes', 'Records joined into one profile per person, by number of records per profile.', `<div class="kpis">${kpis}</div>` + refused + chart);
}
