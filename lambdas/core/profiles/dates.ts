/**
 * Calendar-day arithmetic on ISO dates. Profiles compare days, not instants: sources record dates without time
 * zones, so treating every date as a UTC calendar day keeps results identical wherever the code runs.
 */

const ISO_DAY_PREFIX = /^(\d{4})-(\d{2})-(\d{2})(?:$|[T ])/;
const MS_PER_DAY = 86_400_000;

/**
 * The YYYY-MM-DD day of an ISO date or timestamp, or null when the value is missing or not a real calendar day
 * (a "2023-02-30" from a broken export must not win a recency contest).
 */
export function toIsoDay(value: string | null | undefined): string | null {
  if (value == null) return null;
  const match = ISO_DAY_PREFIX.exec(value.trim());
  if (!match) return null;
  const [, year, month, day] = match;
  const date = new Date(Date.UTC(Number(year), Number(month) - 1, Number(day)));
  const isRealDay =
    date.getUTCFullYear() === Number(year) &&
    date.getUTCMonth() === Number(month) - 1 &&
    date.getUTCDate() === Number(day);
  return isRealDay ? `${year}-${month}-${day}` : null;
}

/** Whole days from `earlier` to `later` (negative when `later` is before `earlier`); both are YYYY-MM-DD. */
export function daysBetween(earlier: string, later: string): number {
  return Math.round((Date.parse(`${later}T00:00:00Z`) - Date.parse(`${earlier}T00:00:00Z`)) / MS_PER_DAY);
}

/** The later of two optional days; YYYY-MM-DD strings order correctly as text. */
export function laterDay(a: string | null, b: string | null): string | null {
  if (a === null) return b;
  if (b === null) return a;
  return a >= b ? a : b;
}

export function earlierDay(a: string | null, b: string | null): string | null {
  if (a === null) return b;
  if (b === null) return a;
  return a <= b ? a : b;
}

/** Most recent first; undated last (an undated value can never beat a dated one). */
export function compareDateDescending(a: string | null, b: string | null): number {
  if (a === b) return 0;
  if (a === null) return 1;
  if (b === null) return -1;
  return a > b ? -1 : 1;
}

/** Earliest first; undated last. */
export function compareDateAscending(a: string | null, b: string | null): number {
  if (a === b) return 0;
  if (a === null) return 1;
  if (b === null) return -1;
  return a < b ? -1 : 1;
}
