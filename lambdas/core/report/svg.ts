import { escapeHtml } from './html';
import { formatTick, px } from './format';

/**
 * SVG building blocks for the report's charts. Charts are plain inline SVG with explicit width, height and
 * viewBox, so they render at a real size with no script and no stylesheet; colours are attributes for the same
 * reason (a chart copied out of the page keeps them).
 */

export const COLORS = {
  text: '#1f2937',
  muted: '#6b7280',
  grid: '#e5e7eb',
  axis: '#9ca3af',
  // Blue/orange rather than green/red: readable with the common colour-vision deficiencies.
  positive: '#2563eb',
  negative: '#ea580c',
  total: '#1e3a8a',
  link: '#2563eb',
  review: '#f59e0b',
  apart: '#9ca3af',
  matchLine: '#1e3a8a',
  reviewLine: '#b45309',
  bar: '#3b82f6',
} as const;

/** Approximate advance width of one character at the charts' 12px sans-serif, for laying out label columns. */
export const CHAR_WIDTH = 6.8;

/** Width of a chart that spans a section (the page's content column at its maximum width). */
export const FULL_WIDTH = 1100;

export type Scale = (value: number) => number;

export function linearScale(domain: readonly [number, number], range: readonly [number, number]): Scale {
  const [d0, d1] = domain;
  const [r0, r1] = range;
  const span = d1 - d0 || 1;
  return (value) => r0 + ((value - d0) / span) * (r1 - r0);
}

export interface Ticks {
  min: number;
  max: number;
  step: number;
  values: number[];
}

/** Round-number ticks (1, 2 or 5 times a power of ten) covering [min, max] in about `count` steps. */
export function niceTicks(min: number, max: number, count = 5): Ticks {
  if (max < min) [min, max] = [max, min];
  if (max === min) {
    min -= 1;
    max += 1;
  }
  const raw = (max - min) / Math.max(1, count);
  const magnitude = Math.pow(10, Math.floor(Math.log10(raw)));
  const norm = raw / magnitude;
  const step = (norm < 1.5 ? 1 : norm < 3 ? 2 : norm < 7 ? 5 : 10) * magnitude;
  const first = Math.floor(min / step + 1e-9);
  const last = Math.ceil(max / step - 1e-9);
  const values: number[] = [];
  // Ticks from integer multiples, not by repeated addition, so 0.1 steps do not drift.
  for (let k = first; k <= last; k++) values.push(Math.round(k * step * 1e9) / 1e9);
  return { min: values[0], max: values[values.length - 1], step, values };
}

/** An SVG element with an accessible name (the title doubles as a tooltip). `body` is already-escaped markup. */
export function svg(width: number, height: number, label: string, body: string, kind: string): string {
  return (
    `<svg class="chart" data-chart="${kind}" width="${px(width)}" height="${px(height)}" viewBox="0 0 ${px(width)} ${px(height)}"` +
    ` role="img" aria-label="${escapeHtml(label)}" font-family="inherit" font-size="12">` +
    `<title>${escapeHtml(label)}</title>${body}</svg>`
  );
}

export type Anchor = 'start' | 'middle' | 'end';

/** Text at (x, y); `content` is plain text and is escaped here. */
export function text(x: number, y: number, content: string, options: { anchor?: Anchor; fill?: string; weight?: 'bold'; size?: number; title?: string } = {}): string {
  const attrs = [
    `x="${px(x)}"`,
    `y="${px(y)}"`,
    options.anchor && options.anchor !== 'start' ? `text-anchor="${options.anchor}"` : '',
    `fill="${options.fill ?? COLORS.text}"`,
    options.weight ? `font-weight="${options.weight}"` : '',
    options.size ? `font-size="${options.size}"` : '',
  ].filter(Boolean);
  const title = options.title ? `<title>${escapeHtml(options.title)}</title>` : '';
  return `<text ${attrs.join(' ')}>${title}${escapeHtml(content)}</text>`;
}

export function rect(x: number, y: number, width: number, height: number, fill: string, title?: string, extra = ''): string {
  const t = title ? `<title>${escapeHtml(title)}</title>` : '';
  const open = `<rect x="${px(x)}" y="${px(y)}" width="${px(Math.max(0, width))}" height="${px(Math.max(0, height))}" fill="${fill}"${extra}`;
  return t ? `${open}>${t}</rect>` : `${open}/>`;
}

export function line(x1: number, y1: number, x2: number, y2: number, stroke: string, extra = ''): string {
  return `<line x1="${px(x1)}" y1="${px(y1)}" x2="${px(x2)}" y2="${px(y2)}" stroke="${stroke}"${extra}/>`;
}

/** Shortens a label to `max` characters with an ellipsis; callers keep the full text in a title. */
export function truncate(label: string, max: number): string {
  const chars = [...label];
  return chars.length <= max ? label : `${chars.slice(0, Math.max(1, max - 1)).join('')}\u2026`;
}

/** Vertical grid lines with tick labels below a plot area (a horizontal value axis), optionally above it too. */
export function xAxis(ticks: Ticks, scale: Scale, top: number, bottom: number, caption?: string, labelsOnTop = false): string {
  const parts = ticks.values.map(
    (value) =>
      line(scale(value), top, scale(value), bottom, value === 0 ? COLORS.axis : COLORS.grid) +
      text(scale(value), bottom + 14, formatTick(value, ticks.step), { anchor: 'middle', fill: COLORS.muted, size: 11 }) +
      // Tall charts repeat the tick labels above the plot so values can be read without scrolling to the axis.
      (labelsOnTop ? text(scale(value), top - 6, formatTick(value, ticks.step), { anchor: 'middle', fill: COLORS.muted, size: 11 }) : ''),
  );
  if (caption)
    parts.push(text((scale(ticks.min) + scale(ticks.max)) / 2, bottom + 30, caption, { anchor: 'middle', fill: COLORS.muted, size: 11 }));
  return `<g class="axis">${parts.join('')}</g>`;
}

/** Horizontal grid lines with tick labels left of a plot area (a vertical value axis). */
export function yAxis(ticks: Ticks, scale: Scale, left: number, right: number, caption?: string): string {
  const parts = ticks.values.map(
    (value) =>
      line(left, scale(value), right, scale(value), value === 0 ? COLORS.axis : COLORS.grid) +
      text(left - 6, scale(value) + 4, formatTick(value, ticks.step), { anchor: 'end', fill: COLORS.muted, size: 11 }),
  );
  if (caption) {
    const y = (scale(ticks.min) + scale(ticks.max)) / 2;
    parts.push(
      `<text x="0" y="0" transform="translate(12 ${px(y)}) rotate(-90)" text-anchor="middle" fill="${COLORS.muted}" font-size="11">${escapeHtml(caption)}</text>`,
    );
  }
  return `<g class="axis">${parts.join('')}</g>`;
}

/** A small colour-key row: swatches with labels laid out left to right from (x, y). */
export function legend(x: number, y: number, items: readonly { label: string; color: string; dashed?: boolean }[]): string {
  let cursor = x;
  const parts: string[] = [];
  for (const item of items) {
    parts.push(
      item.dashed
        ? line(cursor, y - 4, cursor + 14, y - 4, item.color, ' stroke-width="2" stroke-dasharray="4 3"')
        : rect(cursor, y - 10, 12, 12, item.color),
    );
    parts.push(text(cursor + 18, y, item.label, { fill: COLORS.text, size: 11 }));
    cursor += 18 + item.label.length * 6.2 + 18;
  }
  return `<g class="legend">${parts.join('')}</g>`;
}
