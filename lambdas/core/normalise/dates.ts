/**
 * Dates in a declared format to ISO YYYY-MM-DD. Formats use tokens YYYY, YY, MM, M, DD, D, MMM ("Jan"; full month
 * names are accepted too) with any separators, or "ISO" (YYYY-MM-DD with an optional time). A separator in the format
 * accepts any separator in the value ("DD.MM.YYYY" reads "07/03/2024"), and with separators, MM and DD accept one digit
 * ("3/7/2024"), because spreadsheet round-trips drop the padding. A trailing time ("3/7/2024 0:00") is ignored.
 * Failure reasons never contain the value (a date of birth is personal data).
 */

export type DateResult = { ok: true; iso: string } | { ok: false; reason: string };

export interface DateOptions {
  /**
   * Apply date-of-birth plausibility: reject dates in the future and the placeholder 1900-01-01 that systems write
   * when the real date is unknown.
   */
  dateOfBirth?: boolean;
  /** "Today" as YYYY-MM-DD for the future check and two-digit years; defaults to the current UTC date. */
  today?: string;
}

/** Earliest year accepted for any date: earlier years in CRM exports are sentinels ("0001-01-01"), not history. */
const MIN_YEAR = 1900;
const DOB_PLACEHOLDER = '1900-01-01';

const MONTHS: ReadonlyMap<string, number> = new Map(
  ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'].map((m, i) => [m, i + 1]),
);
const MONTH_ALIASES: ReadonlyMap<string, number> = new Map([
  ['sept', 9],
  ['january', 1], ['february', 2], ['march', 3], ['april', 4], ['june', 6], ['july', 7], ['august', 8],
  ['september', 9], ['october', 10], ['november', 11], ['december', 12],
]);

/** Optional time after an ISO date ("T10:30", " 10:30:00.123+02:00", "Z"): read past, never converted. */
const ISO_TIME = String.raw`(?:[T\s]\d{2}:\d{2}(?::\d{2}(?:[.,]\d+)?)?\s*(?:Z|[+-]\d{2}(?::?\d{2})?)?)?`;
const ISO_DATE = new RegExp(String.raw`^(\d{4})-(\d{2})-(\d{2})${ISO_TIME}$`, 'i');
/** A time after a date in a token format ("0:00", "12:05:33 PM", "T10:30:00Z"): ignored. */
const TRAILING_TIME =
  String.raw`(?:[T\s]+\d{1,2}:\d{2}(?::\d{2}(?:[.,]\d+)?)?\s*` +
  String.raw`(?:[ap]\.?m\.?)?\s*(?:z|[+-]\d{2}:?\d{2})?)?`;
const TOKEN = /YYYY|YY|MMMM|MMM|MM|M|DD|D/g;

type Field = 'year4' | 'year2' | 'monthName' | 'month' | 'day';

interface CompiledFormat {
  readonly pattern: RegExp;
  readonly fields: readonly Field[];
}

const FIELD_OF: Readonly<Record<string, Field>> = {
  YYYY: 'year4',
  YY: 'year2',
  MMMM: 'monthName',
  MMM: 'monthName',
  MM: 'month',
  M: 'month',
  DD: 'day',
  D: 'day',
};

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

function compile(format: string): CompiledFormat {
  const fields: Field[] = [];
  let source = '^\\s*';
  let position = 0;
  const matches = [...format.matchAll(TOKEN)];
  const hasSeparators = matches.some((m, i) => {
    const end = (m.index ?? 0) + m[0].length;
    const next = matches[i + 1];
    return next !== undefined && (next.index ?? 0) > end;
  });
  for (const match of matches) {
    const index = match.index ?? 0;
    const literal = format.slice(position, index);
    if (literal !== '') source += /^[\s\-/.,]+$/.test(literal) ? '[\\s\\-/.,]+' : escapeRegExp(literal);
    const token = match[0];
    const field = FIELD_OF[token] as Field;
    fields.push(field);
    if (token === 'YYYY') source += '(\\d{4})';
    else if (token === 'YY') source += '(\\d{2})';
    else if (field === 'monthName') source += '([a-z]{3,9})\\.?';
    else if (token.length === 2 && !hasSeparators) source += '(\\d{2})';
    else source += '(\\d{1,2})';
    position = index + token.length;
  }
  const tail = format.slice(position);
  if (tail !== '') source += escapeRegExp(tail);
  source += `${TRAILING_TIME}\\s*$`;
  return { pattern: new RegExp(source, 'i'), fields };
}

/** Formats come from a handful of mapping files; compile each once. */
const COMPILED = new Map<string, CompiledFormat>();

function compiled(format: string): CompiledFormat {
  let result = COMPILED.get(format);
  if (!result) {
    result = compile(format);
    COMPILED.set(format, result);
  }
  return result;
}

function daysInMonth(year: number, month: number): number {
  if (month === 2) return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0 ? 29 : 28;
  return month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31;
}

function pad(value: number, width: number): string {
  return String(value).padStart(width, '0');
}

function todayIso(options: DateOptions): string {
  return options.today ?? new Date().toISOString().slice(0, 10);
}

/** Two-digit years: the latest century that does not put the date after today ("85" -> 1985, "07" -> 2007). */
function expandTwoDigitYear(twoDigits: number, today: string): number {
  const currentYear = Number(today.slice(0, 4));
  const candidate = Math.floor(currentYear / 100) * 100 + twoDigits;
  return candidate > currentYear ? candidate - 100 : candidate;
}

function fail(reason: string): DateResult {
  return { ok: false, reason };
}

function checkAndFormat(year: number, month: number, day: number, options: DateOptions): DateResult {
  if (month < 1 || month > 12) return fail('impossible date: month out of range');
  if (day < 1 || day > daysInMonth(year, month)) return fail('impossible date: day out of range for the month');
  if (year < MIN_YEAR) return fail(`implausible date: before ${MIN_YEAR}`);
  const iso = `${pad(year, 4)}-${pad(month, 2)}-${pad(day, 2)}`;
  if (options.dateOfBirth) {
    if (iso === DOB_PLACEHOLDER) return fail('implausible date of birth: placeholder value');
    if (iso > todayIso(options)) return fail('implausible date of birth: in the future');
  }
  return { ok: true, iso };
}

/** Parses `raw` in `format` (see module comment) to ISO YYYY-MM-DD, rejecting impossible and implausible dates. */
export function parseDate(raw: string | null | undefined, format: string, options: DateOptions = {}): DateResult {
  if (raw === null || raw === undefined || raw.trim() === '') return fail('empty date');
  const value = raw.trim();
  if (format.trim().toUpperCase() === 'ISO') {
    const match = ISO_DATE.exec(value);
    if (!match) return fail('date does not match format ISO');
    return checkAndFormat(Number(match[1]), Number(match[2]), Number(match[3]), options);
  }
  const { pattern, fields } = compiled(format);
  const match = pattern.exec(value);
  if (!match) return fail(`date does not match format ${format}`);
  let year: number | null = null;
  let month: number | null = null;
  let day: number | null = null;
  for (let i = 0; i < fields.length; i++) {
    const text = match[i + 1] as string;
    switch (fields[i]) {
      case 'year4':
        year = Number(text);
        break;
      case 'year2':
        year = expandTwoDigitYear(Number(text), todayIso(options));
        break;
      case 'monthName': {
        const lower = text.toLowerCase();
        const found = MONTHS.get(lower) ?? MONTH_ALIASES.get(lower);
        if (found === undefined) return fail('impossible date: unknown month name');
        month = found;
        break;
      }
      case 'month':
        month = Number(text);
        break;
      case 'day':
        day = Number(text);
        break;
    }
  }
  if (year === null || month === null || day === null) return fail(`date format ${format} lacks a year, month or day`);
  return checkAndFormat(year, month, day, options);
}

export interface DateParts {
  year: number;
  month: number;
  day: number;
}

const ISO_ONLY = /^(\d{4})-(\d{2})-(\d{2})$/;

/** Numeric parts of an ISO YYYY-MM-DD date, or null when it is not one (or not a real day). */
export function dateParts(iso: string | null | undefined): DateParts | null {
  if (!iso) return null;
  const match = ISO_ONLY.exec(iso);
  if (!match) return null;
  const year = Number(match[1]);
  const month = Number(match[2]);
  const day = Number(match[3]);
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) return null;
  return { year, month, day };
}
