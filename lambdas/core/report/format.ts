/**
 * Number formatting for the report. Hand-written rather than toLocaleString so the output does not depend on the
 * host's locale or ICU data: the same ReportData renders to the same bytes everywhere.
 */

/** 12345 -> "12,345". */
export function formatCount(value: number): string {
  if (!Number.isFinite(value)) return String(value);
  const rounded = Math.round(value);
  const digits = Math.abs(rounded).toString().replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  return rounded < 0 ? `-${digits}` : digits;
}

/** A match weight in bits with an explicit sign: "+6.64", "-3.20", "0.00". */
export function formatWeight(weight: number): string {
  if (weight === Infinity) return '+inf';
  if (weight === -Infinity) return '-inf';
  const text = weight.toFixed(2);
  if (text === '-0.00' || text === '0.00') return '0.00';
  return weight > 0 ? `+${text}` : text;
}

/**
 * A probability readable at both ends: m values near 1 and u values near 1e-6 both matter to an auditor.
 * null (the null level has no m or u) shows as an em dash. The result is plain text that needs no escaping.
 */
export function formatProbability(p: number | null): string {
  if (p === null) return '\u2014';
  if (p === 0 || p === 1) return String(p);
  // U+2265 (greater-than or equal) rather than ">" so no formatted number ever needs HTML escaping.
  if (p >= 0.9999) return '\u22650.9999';
  if (p >= 0.001) return p.toFixed(4);
  return p.toExponential(2);
}

/** part / whole as a percentage with one decimal; "0.0%" when whole is 0. Plain text: callers escape it. */
export function formatPercent(part: number, whole: number): string {
  if (whole === 0) return '0.0%';
  const percent = (100 * part) / whole;
  // A non-zero count must not read as 0.0%, nor a partial one as 100.0%.
  if (part > 0 && percent < 0.05) return '<0.1%';
  if (part < whole && percent >= 99.95) return '>99.9%';
  return `${percent.toFixed(1)}%`;
}

/** A number for an SVG attribute: one decimal is plenty for pixels and keeps the file small. */
export function px(value: number): string {
  return String(Math.round(value * 10) / 10);
}

/** An axis tick label: as many decimals as the tick step needs, no more. */
export function formatTick(value: number, step: number): string {
  const decimals = Math.max(0, Math.min(6, -Math.floor(Math.log10(step) + 1e-9)));
  const text = value.toFixed(decimals);
  return /^-0(\.0*)?$/.test(text) ? text.slice(1) : Math.abs(value) >= 1000 && decimals === 0 ? formatCount(value) : text;
}
