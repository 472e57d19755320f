const ENTITIES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/**
 * Escapes a value for HTML text and for quoted attribute values (also inside inline SVG, which the HTML parser
 * reads with the same rules). Every value that comes from data (source names, labels, record keys) goes through
 * this: a source named `<script>` must show as text, not run.
 */
export function escapeHtml(value: string | number): string {
  return String(value).replace(/[&<>"']/g, (c) => ENTITIES[c]);
}

/** A table cell; `html` is already escaped markup, `className` a fixed class name from this module's callers. */
export interface Cell {
  html: string;
  className?: string;
  /** Inline style computed from numbers only (heat-map shading), never from data text. */
  style?: string;
  title?: string;
}

export type CellInput = string | Cell;

const cell = (tag: 'td' | 'th', input: CellInput): string => {
  const c: Cell = typeof input === 'string' ? { html: input } : input;
  const attrs =
    (c.className ? ` class="${c.className}"` : '') +
    (c.style ? ` style="${c.style}"` : '') +
    (c.title ? ` title="${escapeHtml(c.title)}"` : '');
  return `<${tag}${attrs}>${c.html}</${tag}>`;
};

/**
 * A table from pre-escaped cells. `head` rows may hold strings or cells (for colspan headers pass raw rows
 * through `headHtml`). Numeric columns are right-aligned by giving their cells the "num" class.
 */
export function table(options: {
  head: CellInput[] | string;
  rows: { cells: CellInput[]; className?: string }[];
  className?: string;
  caption?: string;
}): string {
  const head = typeof options.head === 'string' ? options.head : `<tr>${options.head.map((h) => cell('th', h)).join('')}</tr>`;
  const body = options.rows
    .map((row) => `<tr${row.className ? ` class="${row.className}"` : ''}>${row.cells.map((c) => cell('td', c)).join('')}</tr>`)
    .join('\n');
  const caption = options.caption ? `<caption>${options.caption}</caption>` : '';
  return `<div class="table-wrap"><table${options.className ? ` class="${options.className}"` : ''}>${caption}<thead>${head}</thead><tbody>\n${body}\n</tbody></table></div>`;
}

export const num = (html: string, extra?: Omit<Cell, 'html'>): Cell => ({
  ...extra,
  html,
  className: extra?.className ? `num ${extra.className}` : 'num',
});

/** A report section with a stable id (the navigation links to it) and a heading. */
export function section(id: string, title: string, intro: string, body: string): string {
  return `<section id="${id}" class="report-section">
<h2>${escapeHtml(title)}</h2>
${intro ? `<p class="intro">${intro}</p>` : ''}
${body}
</section>`;
}
