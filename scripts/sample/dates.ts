/**
 * Calendar dates as whole day numbers (days since 1970-01-01, UTC). The generator handles millions of dates;
 * integer arithmetic plus Hinnant's civil-calendar conversions is exact and avoids a Date object per value.
 */

export type Day = number;

/** days_from_civil (H. Hinnant): proleptic Gregorian date -> day number. */
export function dayFromYmd(year: number, month: number, day: number): Day {
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yoe = y - era * 400;
  const doy = Math.floor((153 * (month + (month > 2 ? -3 : 9)) + 2) / 5) + day - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146097 + doe - 719468;
}

/** civil_from_days (H. Hinnant): day number -> [year, month 1-12, day 1-31]. */
export function ymdFromDay(dayNumber: Day): [number, number, number] {
  const z = dayNumber + 719468;
  const era = Math.floor(z / 146097);
  const doe = z - era * 146097;
  const yoe = Math.floor((doe - Math.floor(doe / 1460) + Math.floor(doe / 36524) - Math.floor(doe / 146096)) / 365);
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const day = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const month = mp < 10 ? mp + 3 : mp - 9;
  return [yoe + era * 400 + (month <= 2 ? 1 : 0), month, day];
}

/** Parses "YYYY-MM-DD" strictly (used for the asOf option only). */
export function parseIsoDay(text: string): Day {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text);
  if (!match) throw new RangeError(`expected an ISO date YYYY-MM-DD, got ${JSON.stringify(text)}`);
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const result = dayFromYmd(year, month, day);
  const [y, m, d] = ymdFromDay(result);
  if (y !== year || m !== month || d !== day) throw new RangeError(`not a calendar date: ${text}`);
  return result;
}

/** Same month and day `years` later (negative: earlier); Feb 29 falls back to Feb 28. */
export function addYears(dayNumber: Day, years: number): Day {
  const [y, m, d] = ymdFromDay(dayNumber);
  const target = dayFromYmd(y + years, m, d);
  return ymdFromDay(target)[2] === d ? target : dayFromYmd(y + years, m, d - 1);
}

const TWO_DIGITS: readonly string[] = Array.from({ length: 100 }, (_, i) => (i < 10 ? `0${i}` : String(i)));

function pad2(value: number): string {
  return TWO_DIGITS[value] as string;
}

export function formatIso(dayNumber: Day): string {
  const [y, m, d] = ymdFromDay(dayNumber);
  return `${y}-${pad2(m)}-${pad2(d)}`;
}

/** MM/DD/YYYY, the US style Northwind's CRM exports. */
export function formatUs(dayNumber: Day): string {
  const [y, m, d] = ymdFromDay(dayNumber);
  return `${pad2(m)}/${pad2(d)}/${y}`;
}

/** DD.MM.YYYY, written by Skyline's billing module (built by a European vendor). */
export function formatDotted(dayNumber: Day): string {
  const [y, m, d] = ymdFromDay(dayNumber);
  return `${pad2(d)}.${pad2(m)}.${y}`;
}
