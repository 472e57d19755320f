import { horizontalBarChart } from './chart-bars';
import { formatCount, formatPercent } from './format';
import { escapeHtml, num, section, table } from './html';
import type { ReportData } from './report-data';

/** Blocking: candidate pairs per rule. A pair belongs to the first rule that produced it, so the rows add up. */
export function blockingSection(data: ReportData): string {
  const { rules, candidatePairs } = data.blocking;
  const ruleTotal = rules.reduce((s, r) => s + r.pairs, 0);
  const rows = rules.map((r) => ({
    cells: [
      { html: escapeHtml(r.rule), className: 'key' },
      escapeHtml(r.description),
      num(formatCount(r.pairs)),
      num(formatPercent(r.pairs, ruleTotal)),
      num(formatCount(r.blocks)),
      num(formatCount(r.largestBlock)),
      num(formatCount(r.refinedBlocks)),
      // Windowed blocks compare only neighbours, so some true pairs there may never be scored: flag them.
      num(formatCount(r.windowedBlocks), r.windowedBlocks > 0 ? { className: 'warn', title: 'compared within a sliding window only' } : undefined),
    ],
  }));
  const total = { className: 'total', cells: ['All rules', '', num(formatCount(ruleTotal)), num(formatPercent(ruleTotal, ruleTotal)), '', '', '', ''] };
  const tableHtml = table({
    head: ['Rule', 'Description', num('Pairs'), num('Share'), num('Blocks'), num('Largest block'), num('Refined blocks'), num('Windowed blocks')],
    rows: [...rows, total],
  });
  const mismatch =
    ruleTotal !== candidatePairs
      ? `<div class="notice">The rules' pairs add up to ${formatCount(ruleTotal)} but the run reports ${formatCount(candidatePairs)} candidate pairs.</div>`
      : '';
  const chart = horizontalBarChart(
    rules.map((r) => ({ label: r.rule, value: r.pairs, valueLabel: formatCount(r.pairs), title: `${r.rule}: ${formatCount(r.pairs)} pairs` })),
    { label: 'Candidate pairs per blocking rule', kind: 'blocking', axisCaption: 'candidate pairs (each pair counted under the first rule that produced it)' },
  );
  const intro = `Only records sharing a blocking key are compared. ${formatCount(candidatePairs)} candidate pairs in total; each pair is counted under the first rule (in this order) that produced it.`;
  return section('blocking', 'Blocking', escapeHtml(intro), mismatch + tableHtml + `<div class="chart-box">${chart}</div>`);
}
