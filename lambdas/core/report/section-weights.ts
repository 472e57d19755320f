import { weightHistogramChart } from './chart-histogram';
import { formatCount } from './format';
import { escapeHtml, section } from './html';
import { stackBins } from './histogram';
import type { ReportData } from './report-data';
import { modelThresholds } from './thresholds';
import type { ReportTotals } from './totals';

/** The distribution of match weights over the pairs kept, with the review and match thresholds marked. */
export function weightsSection(data: ReportData, totals: ReportTotals): string {
  const h = data.weightHistogram;
  const bins = stackBins(h.links, h.review, h.apart, h.binWidth);
  const intro =
    `Match weights of the ${formatCount(totals.links + totals.review + totals.apart)} scored pairs kept: ` +
    `${formatCount(totals.links)} linked, ${formatCount(totals.review)} in the review band and ${formatCount(totals.apart)} kept apart ` +
    `(bins ${h.binWidth} bits wide). Pairs below the review threshold that were not kept apart are not stored and not shown.`;
  const body =
    bins.length === 0
      ? '<p class="empty">No scored pairs were kept in this run.</p>'
      : `<div class="chart-box">${weightHistogramChart(bins, modelThresholds(data.model), { label: 'Histogram of match weights with the review and match thresholds' })}</div>`;
  return section('weights', 'Match weights', escapeHtml(intro), body);
}
