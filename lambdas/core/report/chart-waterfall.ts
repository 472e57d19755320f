import { formatWeight } from './format';
import type { Threshold } from './chart-histogram';
import { CHAR_WIDTH, COLORS, line, linearScale, niceTicks, rect, svg, text, truncate, xAxis } from './svg';

export interface WaterfallStep {
  label: string;
  /** Change in match weight this step contributes. */
  weight: number;
  /** A step that contributes nothing (the null level: no value to compare), drawn muted. */
  muted?: boolean;
}

const ROW = 22;
const BAR = 14;
const LABEL_CHARS = 34;

/**
 * A horizontal waterfall: the prior weight, then each comparison's contribution stepping from the running total,
 * then the pair's total as a solid bar from zero. Rows rather than columns so long "comparison: level" labels
 * stay horizontal and readable. Threshold lines show which side of each cut-off the total landed on.
 */
export function waterfallChart(prior: number, steps: readonly WaterfallStep[], total: number, thresholds: readonly Threshold[], options: { label: string; width?: number }): string {
  const width = options.width ?? 600;
  const labelWidth = Math.min(LABEL_CHARS, Math.max(12, ...steps.map((s) => [...s.label].length))) * CHAR_WIDTH + 12;
  const left = labelWidth;
  const valueColumn = 56;
  const right = width - valueColumn - 8;
  const top = 22;
  const rows = steps.length + 2;
  const bottom = top + rows * ROW;

  const running: number[] = [prior];
  for (const step of steps) running.push(running[running.length - 1] + step.weight);
  const extent = [0, total, ...running, ...thresholds.map((t) => t.weight)].filter((v) => Number.isFinite(v));
  const ticks = niceTicks(Math.min(...extent), Math.max(...extent), 6);
  const x = linearScale([ticks.min, ticks.max], [left, right]);
  const clamp = (v: number): number => Math.max(ticks.min, Math.min(ticks.max, v));

  const parts: string[] = [];
  const row = (i: number, label: string, from: number, to: number, fill: string, style: 'normal' | 'total' | 'muted' = 'normal'): void => {
    const y = top + i * ROW;
    const [a, b] = [x(clamp(from)), x(clamp(to))];
    const bold = style === 'total' ? 'bold' : undefined;
    const ink = style === 'muted' ? COLORS.muted : COLORS.text;
    parts.push(
      text(left - 8, y + ROW / 2 + 4, truncate(label, LABEL_CHARS), { anchor: 'end', title: label, weight: bold, fill: ink }) +
        (style === 'muted' ? '' : rect(Math.min(a, b), y + (ROW - BAR) / 2, Math.max(1, Math.abs(b - a)), BAR, fill, `${label}: ${formatWeight(to - from)}`)) +
        text(width - 8, y + ROW / 2 + 4, formatWeight(style === 'total' ? to : to - from), { anchor: 'end', weight: bold, fill: ink }),
    );
    // A thin connector from this bar's end to the next row, the usual waterfall cue.
    if (i < rows - 2) parts.push(line(b, y + (ROW + BAR) / 2, b, y + ROW + (ROW - BAR) / 2, COLORS.axis, ' stroke-dasharray="2 2"'));
  };
  row(0, 'prior', 0, prior, prior >= 0 ? COLORS.positive : COLORS.negative);
  steps.forEach((step, i) =>
    row(i + 1, step.label, running[i], running[i + 1], step.weight >= 0 ? COLORS.positive : COLORS.negative, step.muted ? 'muted' : 'normal'),
  );
  row(rows - 1, 'match weight', 0, total, COLORS.total, 'total');

  const lines = thresholds.map(
    (t) =>
      `<g class="threshold" data-threshold="${t.name}">` +
      line(x(clamp(t.weight)), top - 4, x(clamp(t.weight)), bottom, t.color, ' stroke-width="1.5" stroke-dasharray="5 4"') +
      '</g>',
  );
  const header = text(width - 8, 12, 'weight', { anchor: 'end', fill: COLORS.muted, size: 11 });
  return svg(width, bottom + 36, options.label, xAxis(ticks, x, top, bottom, 'match weight (bits)') + lines.join('') + parts.join('') + header, 'waterfall');
}
