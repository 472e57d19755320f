import { dateParts, parseDate } from '../../../lambdas/core/normalise/dates';

const TODAY = '2025-06-15';

function iso(raw: string, format: string, options: { dateOfBirth?: boolean } = {}): string {
  const result = parseDate(raw, format, { today: TODAY, ...options });
  if (!result.ok) throw new Error(`expected ${JSON.stringify(raw)} in ${format} to parse, got ${result.reason}`);
  return result.iso;
}

function reason(raw: string | null | undefined, format: string, options: { dateOfBirth?: boolean } = {}): string {
  const result = parseDate(raw, format, { today: TODAY, ...options });
  if (result.ok) throw new Error(`expected ${JSON.stringify(raw)} in ${format} to fail, got ${result.iso}`);
  return result.reason;
}

describe('parseDate: ISO', () => {
  it('reads dates with or without a time', () => {
    expect(iso('2024-03-07', 'ISO')).toBe('2024-03-07');
    expect(iso(' 2024-03-07T10:30:00Z ', 'ISO')).toBe('2024-03-07');
    expect(iso('2024-03-07 10:30', 'ISO')).toBe('2024-03-07');
    expect(iso('2024-03-07T10:30:00.123+02:00', 'ISO')).toBe('2024-03-07');
  });

  it('keeps the written calendar date even when an offset would move it in UTC', () => {
    expect(iso('2024-03-07T23:30:00-05:00', 'ISO')).toBe('2024-03-07');
  });

  it('accepts leap days only in leap years', () => {
    expect(iso('2024-02-29', 'ISO')).toBe('2024-02-29');
    expect(iso('2000-02-29', 'ISO')).toBe('2000-02-29');
    expect(reason('1900-02-29', 'ISO')).toBe('impossible date: day out of range for the month');
    expect(reason('2023-02-29', 'ISO')).toBe('impossible date: day out of range for the month');
  });

  it('rejects impossible dates', () => {
    expect(reason('2023-02-30', 'ISO')).toBe('impossible date: day out of range for the month');
    expect(reason('2023-04-31', 'ISO')).toBe('impossible date: day out of range for the month');
    expect(reason('2023-13-01', 'ISO')).toBe('impossible date: month out of range');
    expect(reason('2023-00-10', 'ISO')).toBe('impossible date: month out of range');
    expect(reason('2023-01-00', 'ISO')).toBe('impossible date: day out of range for the month');
  });

  it('rejects values in another layout', () => {
    expect(reason('03/07/2024', 'ISO')).toBe('date does not match format ISO');
    expect(reason('2024-3-7', 'ISO')).toBe('date does not match format ISO');
  });
});

describe('parseDate: token formats', () => {
  it('reads US and European orders', () => {
    expect(iso('03/07/2024', 'MM/DD/YYYY')).toBe('2024-03-07');
    expect(iso('07.03.2024', 'DD.MM.YYYY')).toBe('2024-03-07');
    expect(iso('07/03/2024', 'DD/MM/YYYY')).toBe('2024-03-07');
  });

  it('accepts unpadded month and day where separators make it unambiguous', () => {
    expect(iso('3/7/2024', 'MM/DD/YYYY')).toBe('2024-03-07');
    expect(iso('3/7/2024', 'M/D/YYYY')).toBe('2024-03-07');
  });

  it('accepts any separator where the format has one', () => {
    expect(iso('07-03-2024', 'DD.MM.YYYY')).toBe('2024-03-07');
    expect(iso('2024/03/07', 'YYYY-MM-DD')).toBe('2024-03-07');
  });

  it('reads compact formats by fixed widths', () => {
    expect(iso('20240307', 'YYYYMMDD')).toBe('2024-03-07');
    expect(iso('07032024', 'DDMMYYYY')).toBe('2024-03-07');
    expect(reason('2024037', 'YYYYMMDD')).toBe('date does not match format YYYYMMDD');
  });

  it('reads month names in any case, abbreviated or full', () => {
    expect(iso('07-Mar-2024', 'DD-MMM-YYYY')).toBe('2024-03-07');
    expect(iso('07-MAR-2024', 'DD-MMM-YYYY')).toBe('2024-03-07');
    expect(iso('07 Sept 2024', 'DD MMM YYYY')).toBe('2024-09-07');
    expect(iso('March 7, 2024', 'MMM D, YYYY')).toBe('2024-03-07');
    expect(reason('07-Foo-2024', 'DD-MMM-YYYY')).toBe('impossible date: unknown month name');
  });

  it('puts two-digit years in the latest century that is not in the future', () => {
    expect(iso('07-Mar-85', 'DD-MMM-YY')).toBe('1985-03-07');
    expect(iso('03/07/24', 'MM/DD/YY')).toBe('2024-03-07');
    expect(iso('03/07/25', 'MM/DD/YY')).toBe('2025-03-07');
    expect(iso('03/07/26', 'MM/DD/YY')).toBe('1926-03-07');
  });

  it('ignores a trailing time, as spreadsheets write it', () => {
    expect(iso('3/7/2024 0:00', 'M/D/YYYY')).toBe('2024-03-07');
    expect(iso('3/7/2024 12:05:33 PM', 'M/D/YYYY')).toBe('2024-03-07');
  });

  it('rejects impossible dates in token formats', () => {
    expect(reason('13/01/2020', 'MM/DD/YYYY')).toBe('impossible date: month out of range');
    expect(reason('02/30/2023', 'MM/DD/YYYY')).toBe('impossible date: day out of range for the month');
  });

  it('rejects values that do not fit the format', () => {
    expect(reason('not a date', 'MM/DD/YYYY')).toBe('date does not match format MM/DD/YYYY');
    expect(reason('2024-03-07', 'MM/DD/YYYY')).toBe('date does not match format MM/DD/YYYY');
  });

  it('reports a format without a day', () => {
    expect(reason('03/2024', 'MM/YYYY')).toBe('date format MM/YYYY lacks a year, month or day');
  });
});

describe('parseDate: plausibility', () => {
  it('rejects years before 1900 for every date (export sentinels such as 0001-01-01)', () => {
    expect(reason('0001-01-01', 'ISO')).toBe('implausible date: before 1900');
    expect(reason('1899-12-31', 'ISO')).toBe('implausible date: before 1900');
    expect(iso('1900-01-02', 'ISO')).toBe('1900-01-02');
  });

  it('rejects future dates of birth but not future event dates', () => {
    expect(reason('2025-06-16', 'ISO', { dateOfBirth: true })).toBe('implausible date of birth: in the future');
    expect(iso('2025-06-15', 'ISO', { dateOfBirth: true })).toBe('2025-06-15');
    expect(iso('2025-06-16', 'ISO')).toBe('2025-06-16');
  });

  it('rejects the 1900-01-01 placeholder only as a date of birth', () => {
    expect(reason('01/01/1900', 'MM/DD/YYYY', { dateOfBirth: true })).toBe('implausible date of birth: placeholder value');
    expect(iso('1900-01-01', 'ISO')).toBe('1900-01-01');
  });

  it('never puts the value into the reason', () => {
    for (const [raw, format] of [['1887-04-12', 'ISO'], ['2031-04-12', 'ISO'], ['12/45/1987', 'MM/DD/YYYY']] as const) {
      const text = reason(raw, format, { dateOfBirth: true });
      expect(text).not.toMatch(/1887|2031|45|1987/);
    }
  });

  it('reports empty values', () => {
    expect(reason('', 'ISO')).toBe('empty date');
    expect(reason(null, 'ISO')).toBe('empty date');
  });
});

describe('dateParts', () => {
  it('splits a valid ISO date', () => {
    expect(dateParts('1985-03-07')).toEqual({ year: 1985, month: 3, day: 7 });
  });

  it('returns null for anything else', () => {
    expect(dateParts('1985-02-30')).toBeNull();
    expect(dateParts('03/07/1985')).toBeNull();
    expect(dateParts('')).toBeNull();
    expect(dateParts(null)).toBeNull();
  });
});
