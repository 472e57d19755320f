import { formatCount, formatWeight } from './format';
import type { StackedBin } from './histogram';
import { CHAR_WIDTH, COLORS, FULL_WIDTH, legend, line, linearScale, niceTicks, rect, svg, text, xAxis, yAxis } from './svg';

export interface Threshold {
  /** Stable name used in the markup (data-threshold), e.g. "match". */
  name: string;
  label: string;
  weight: number;
  color: string;
}

/**
 * Stacked columns of pair counts per match-weight bin (links, review band, kept apart) with the thresholds drawn
 * as dashed vertical lines, so an auditor sees where the model put its cut-offs relative to the distribution.
 */
export function weightHistogramChart(bins: readonly StackedBin[], thresholds: readonly Threshold[], options: { label: string; width?: number; height?: number }): string {
  const width = options.width ?? FULL_WIDTH;
  const height = options.height ?? 380;
  const left = 64;
  const right = width - 20;
  // Room above the plot for a legend and one label line per threshold.
  const top = 34 + 16 * thresholds.length;
  const bottom = height - 46;
  const lo = Math.min(...bins.map((b) => b.from), ...thresholds.map((t) => t.weight));
  const hi = Math.max(...bins.map((b) => b.to), ...thresholds.map((t) => t.weight));
  const xTicks = niceTicks(lo, hi, 12);
  const x = linearScale([xTicks.min, xTicks.max], [left, right]);
  const yTicks = niceTicks(0, Math.max(1, ...bins.map((b) => b.links + b.review + b.apart)), 5);
  const y = linearScale([0, yTicks.max], [bottom, top]);

  const columns = bins.map((bin) => {
    const x0 = x(bin.from) + 0.5;
    const w = Math.max(1, x(bin.to) - x(bin.from) - 1);
    const range = `${formatWeight(bin.from)} to ${formatWeight(bin.to)}`;
    let base = 0;
    const segment = (count: number, color: string, what: string): string => {
      if (count === 0) return '';
      const s = rect(x0, y(base + count), w, y(base) - y(base + count), color, `${range}: ${formatCount(count)} ${what}`);
      base += count;
      return s;
    };
    return segment(bin.apart, COLORS.apart, 'kept apart') + segment(bin.review, COLORS.review, 'review band') + segment(bin.links, COLORS.link, 'linked');
  });

  const lines = thresholds.map((t, i) => {
    const tx = x(t.weight);
    // Each label has its own line of text above the plot, so thresholds close together never overprint; it sits
    // right of its line unless that would run off the chart.
    const label = `${t.label} \u2265 ${formatWeight(t.weight)}`;
    const labelY = top - 6 - 16 * (thresholds.length - 1 - i);
    const fitsRight = tx + 5 + label.length * CHAR_WIDTH <= width;
    return (
      `<g class="threshold" data-threshold="${t.name}" data-weight="${t.weight}">` +
      line(tx, labelY - 10, tx, bottom, t.color, ' stroke-width="2" stroke-dasharray="6 4"') +
      text(fitsRight ? tx + 5 : tx - 5, labelY, label, { anchor: fitsRight ? 'start' : 'end', fill: t.color, weight: 'bold', size: 11 }) +
      '</g>'
    );
  });

  const key = legend(left, 16, [
    { label: 'linked', color: COLORS.link },
    { label: 'review band', color: COLORS.review },
    { label: 'kept apart', color: COLORS.apart },
    ...thresholds.map((t) => ({ label: t.label, color: t.color, dashed: true })),
  ]);
  const body =
    yAxis(yTicks, y, left, right, 'pairs') + xAxis(xTicks, x, top, bottom, 'match weight (bits)') + columns.join('') + lines.join('') + key;
  return svg(width, height, options.label, body, 'weight-histogram');
}
