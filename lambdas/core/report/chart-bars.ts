import { formatWeight } from './format';
import { CHAR_WIDTH, COLORS, FULL_WIDTH, legend, linearScale, niceTicks, rect, svg, text, truncate, xAxis } from './svg';

export interface BarItem {
  label: string;
  value: number;
  /** Shown at the bar's end; defaults to the value. */
  valueLabel?: string;
  /** Tooltip; defaults to the label and value label. */
  title?: string;
}

const ROW = 24;
const BAR = 16;
const MAX_LABEL_CHARS = 48;

/** Width of a label column that fits the longest (truncated) label, within sensible bounds. */
function labelColumn(labels: readonly string[], min: number, max: number): number {
  const longest = Math.max(0, ...labels.map((l) => Math.min(MAX_LABEL_CHARS, [...l].length)));
  return Math.min(max, Math.max(min, longest * CHAR_WIDTH + 16));
}

/**
 * Horizontal bars, one per item, in the given order. Bars start at zero on a linear axis; every bar has its
 * number printed at its end, so a bar too short to see (one 6-record cluster next to thousands of singletons)
 * still reads correctly.
 */
export function horizontalBarChart(items: readonly BarItem[], options: { label: string; kind: string; axisCaption: string; width?: number; color?: string }): string {
  const width = options.width ?? FULL_WIDTH;
  const left = labelColumn(items.map((i) => i.label), 80, 320);
  const valueRoom = 12 + Math.max(4, ...items.map((i) => (i.valueLabel ?? String(i.value)).length)) * CHAR_WIDTH;
  const right = width - valueRoom;
  const top = 8;
  const bottom = top + Math.max(1, items.length) * ROW;
  const ticks = niceTicks(0, Math.max(1, ...items.map((i) => i.value)), 8);
  const x = linearScale([0, ticks.max], [left, right]);
  const rows = items.map((item, i) => {
    const y = top + i * ROW;
    const valueLabel = item.valueLabel ?? String(item.value);
    const end = x(item.value);
    return (
      text(left - 8, y + ROW / 2 + 4, truncate(item.label, MAX_LABEL_CHARS), { anchor: 'end', title: item.label }) +
      // At least 1px, so a non-zero value never disappears.
      rect(left, y + (ROW - BAR) / 2, item.value > 0 ? Math.max(1, end - left) : 0, BAR, options.color ?? COLORS.bar, item.title ?? `${item.label}: ${valueLabel}`) +
      text(end + 6, y + ROW / 2 + 4, valueLabel, { fill: COLORS.text })
    );
  });
  const body = xAxis(ticks, x, top, bottom, options.axisCaption) + rows.join('');
  return svg(width, bottom + 40, options.label, body, options.kind);
}

export interface DivergingGroup {
  title: string;
  rows: { label: string; weight: number }[];
}

const DIVERGING_ROW = 22;
const DIVERGING_BAR = 14;

/**
 * Match weights per comparison level as bars from zero: to the right (blue) for levels that are evidence of a
 * match, to the left (orange) for evidence against. Groups (comparisons) get a bold heading row. A level with
 * weight 0 (the null level: no value to compare) is drawn muted with no bar, since it moves nothing.
 */
export function divergingBarChart(groups: readonly DivergingGroup[], options: { label: string; kind: string; width?: number }): string {
  const width = options.width ?? FULL_WIDTH;
  const labels = groups.flatMap((g) => [g.title, ...g.rows.map((r) => `    ${r.label}`)]);
  const left = labelColumn(labels, 160, 340);
  const weights = groups.flatMap((g) => g.rows.map((r) => r.weight)).filter((w) => Number.isFinite(w));
  const ticks = niceTicks(Math.min(0, ...weights), Math.max(0, ...weights), 10);
  // Room either side of the plot for the value printed past a bar's end.
  const x = linearScale([ticks.min, ticks.max], [left + 48, width - 56]);
  const top = 46;
  const parts: string[] = [];
  let y = top;
  for (const group of groups) {
    parts.push(text(8, y + DIVERGING_ROW / 2 + 4, truncate(group.title, MAX_LABEL_CHARS), { weight: 'bold', title: group.title }));
    y += DIVERGING_ROW;
    for (const row of group.rows) {
      const w = Math.max(ticks.min, Math.min(ticks.max, row.weight));
      const zero = x(0);
      const end = x(w);
      const middle = y + DIVERGING_ROW / 2 + 4;
      if (row.weight === 0) {
        parts.push(text(24, middle, truncate(row.label, MAX_LABEL_CHARS - 4), { fill: COLORS.muted, title: row.label }));
        parts.push(text(zero + 5, middle, '0.00', { fill: COLORS.axis, size: 11 }));
      } else {
        const color = row.weight > 0 ? COLORS.positive : COLORS.negative;
        parts.push(
          text(24, middle, truncate(row.label, MAX_LABEL_CHARS - 4), { title: row.label }) +
            rect(Math.min(zero, end), y + (DIVERGING_ROW - DIVERGING_BAR) / 2, Math.max(1, Math.abs(end - zero)), DIVERGING_BAR, color, `${group.title} / ${row.label}: ${formatWeight(row.weight)}`) +
            text(row.weight > 0 ? end + 5 : end - 5, middle, formatWeight(row.weight), { anchor: row.weight > 0 ? 'start' : 'end', fill: COLORS.text, size: 11 }),
        );
      }
      y += DIVERGING_ROW;
    }
    y += 6;
  }
  const key = legend(left + 48, 14, [
    { label: 'evidence for a match', color: COLORS.positive },
    { label: 'evidence against', color: COLORS.negative },
  ]);
  const body = xAxis(ticks, x, top, y, 'match weight (bits): log2(m / u)', true) + parts.join('') + key;
  return svg(width, y + 40, options.label, body, options.kind);
}
