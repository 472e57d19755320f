import { formatCount, formatWeight } from './format';
import type { StackedBin } from './histogram';
import { COLORS, legend, line, linearScale, niceTicks, rect, svg, text, xAxis, yAxis } from './svg';

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
  const width = options.width ?? 960;
  const height = options.height ?? 340;
  const left = 64;
  const right = width - 20;
  const top = 52;
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
    // Labels alternate sides of their line so two close thresholds do not print over each other.
    const anchor = i % 2 === 0 ? 'end' : 'start';
    return (
      `<g class="threshold" data-threshold="${t.name}" data-weight="${t.weight}">` +
      line(tx, top - 6, tx, bottom, t.color, ' stroke-width="2" stroke-dasharray="6 4"') +
      text(anchor === 'end' ? tx - 5 : tx + 5, top - 2, `${t.label} ${formatWeight(t.weight)}`, { anchor, fill: t.color, weight: 'bold', size: 11 }) +
      '</g>'
    );
  });

  const key = legend(left, 18, [
    { label: 'linked', color: COLORS.link },
    { label: 'review band', color: COLORS.review },
    { label: 'kept apart', color: COLORS.apart },
    ...thresholds.map((t) => ({ label: t.label, color: t.color, dashed: true })),
  ]);
  const body =
    yAxis(yTicks, y, left, right, 'pairs') + xAxis(xTicks, x, top, bottom, 'match weight (bits)') + columns.join('') + lines.join('') + key;
  return svg(width, height, options.label, body, 'weight-histogram');
}
