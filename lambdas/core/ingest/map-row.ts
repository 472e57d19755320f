/**
 * One raw CSV row (header -> value) to a CustomerRecord, through the source's mapping and the normalisers.
 *
 * A row is rejected only when it cannot identify a person: no record id, or no name, no valid email, no valid phone
 * and no declared identifier; or when a mapped cell is longer than MAX_MAPPED_VALUE_CHARS (no name, address or
 * product list is that long: such a cell is a broken export, and kept it would overflow a profile item, which
 * DynamoDB caps at 400 KB, and cost quadratic time in the string comparisons). Any other bad value (invalid email, impossible date, unreadable consent flag) is dropped
 * from the record and reported in `warnings`, naming the column and the problem but never the value, because
 * warnings end up in reports.
 */
import { mappedColumns, type DatedColumn, type SourceMapping } from '../model/mapping';
import type { Consent, CustomerRecord, PostalAddress, RelationshipStatus } from '../model/record';
import { normaliseAddress, parseAddressLine } from '../normalise/address';
import { parseDate } from '../normalise/dates';
import { normaliseEmail } from '../normalise/email';
import { normaliseIdentifier } from '../normalise/identifiers';
import { normalisePersonName } from '../normalise/names';
import { normalisePhone } from '../normalise/phone';
import { cleanCell, collapseWhitespace } from '../normalise/text';

export interface MapRowContext {
  mapping: SourceMapping;
  /** Source name from the command line; the record key is `${source}:${recordId}`. */
  source: string;
  /** 1-based physical line of the row in the input file. */
  line: number;
  /** "Today" (YYYY-MM-DD) for date-of-birth plausibility; defaults to the current UTC date. */
  today?: string;
}

export type MapRowResult = { ok: true; record: CustomerRecord } | { ok: false; reason: string };

type Row = Readonly<Record<string, string>>;

/** The longest mapped cell a row may have; see the module comment. */
export const MAX_MAPPED_VALUE_CHARS = 4096;

/** Mapped columns per mapping, computed once (mapRow runs per row). */
const columnsByMapping = new WeakMap<SourceMapping, readonly string[]>();

function overlongColumn(row: Row, mapping: SourceMapping): string | null {
  let columns = columnsByMapping.get(mapping);
  if (columns === undefined) {
    columns = mappedColumns(mapping);
    columnsByMapping.set(mapping, columns);
  }
  for (const column of columns) if ((row[column]?.length ?? 0) > MAX_MAPPED_VALUE_CHARS) return column;
  return null;
}

/** Several addresses in one cell: "a@x.com; b@y.com". Only split when there is more than one "@". */
const EMAIL_LIST_SEPARATOR = /[;,]/;
/** Several phones in one cell: "555-0100; 555-0101", "555-0100 / 555-0101"; a bare "/" stays ("212/555-0100"). */
const PHONE_LIST_SEPARATOR = /;|\||,|\s\/\s/;

function columnsOf(value: string | readonly string[] | undefined): readonly string[] {
  if (value === undefined) return [];
  return typeof value === 'string' ? [value] : value;
}

function cell(row: Row, column: string | undefined): string | null {
  return column === undefined ? null : cleanCell(row[column]);
}

/** `what` names the problem kind ("email"), `column` the mapped column; reasons from normalisers carry no values. */
function warning(what: string, column: string, reason: string): string {
  return `invalid ${what} in column ${JSON.stringify(column)}: ${reason}`;
}

function withoutPrefix(reason: string, prefix: string): string {
  return reason.startsWith(prefix) ? reason.slice(prefix.length) : reason;
}

function mapEmails(row: Row, columns: readonly string[], warnings: string[]): { keys: string[]; display: string[] } {
  const keys: string[] = [];
  const display: string[] = [];
  for (const column of columns) {
    const value = cell(row, column);
    if (value === null) continue;
    const parts = value.indexOf('@') !== value.lastIndexOf('@') ? value.split(EMAIL_LIST_SEPARATOR) : [value];
    for (const part of parts) {
      if (part.trim() === '') continue;
      const result = normaliseEmail(part);
      if (!result.ok) {
        warnings.push(warning('email', column, withoutPrefix(result.reason, 'invalid email: ')));
        continue;
      }
      if (keys.includes(result.matchKey)) continue;
      keys.push(result.matchKey);
      display.push(result.display);
    }
  }
  return { keys, display };
}

function mapPhones(row: Row, columns: readonly string[], region: string, warnings: string[]): string[] {
  const phones: string[] = [];
  for (const column of columns) {
    const value = cell(row, column);
    if (value === null) continue;
    for (const part of value.split(PHONE_LIST_SEPARATOR)) {
      if (part.trim() === '') continue;
      const result = normalisePhone(part, region);
      if (!result.ok) {
        warnings.push(warning('phone', column, withoutPrefix(result.reason, 'invalid phone: ')));
        continue;
      }
      if (!phones.includes(result.e164)) phones.push(result.e164);
    }
  }
  return phones;
}

function mapDate(
  row: Row,
  dated: DatedColumn | undefined,
  warnings: string[],
  options: { dateOfBirth?: boolean; today?: string },
): string | null {
  if (dated === undefined) return null;
  const value = cell(row, dated.column);
  if (value === null) return null;
  const result = parseDate(value, dated.format, options);
  if (result.ok) return result.iso;
  warnings.push(warning('date', dated.column, result.reason));
  return null;
}

function isEmptyAddress(address: PostalAddress): boolean {
  return (
    address.number === null &&
    address.street === null &&
    address.unit === null &&
    address.city === null &&
    address.state === null &&
    address.postcode === null
  );
}

function mapAddress(row: Row, mapping: SourceMapping, warnings: string[]): PostalAddress {
  const { addressLine, address: parts } = mapping.columns;
  const line = cell(row, addressLine);
  const fromLine = parseAddressLine(line);
  if (line !== null && addressLine !== undefined && isEmptyAddress(fromLine)) {
    warnings.push(warning('address', addressLine, 'unparseable address'));
  }
  if (parts === undefined) return fromLine;
  const fromParts = normaliseAddress({
    line1: cell(row, parts.line1),
    line2: cell(row, parts.line2),
    number: cell(row, parts.number),
    street: cell(row, parts.street),
    unit: cell(row, parts.unit),
    city: cell(row, parts.city),
    state: cell(row, parts.state),
    postcode: cell(row, parts.postcode),
  });
  // Split columns are more precise than a one-line address; the line only fills what they leave empty.
  return {
    number: fromParts.number ?? fromLine.number,
    street: fromParts.street ?? fromLine.street,
    unit: fromParts.unit ?? fromLine.unit,
    city: fromParts.city ?? fromLine.city,
    state: fromParts.state ?? fromLine.state,
    postcode: fromParts.postcode ?? fromLine.postcode,
  };
}

function mapStatus(row: Row, mapping: SourceMapping): RelationshipStatus | null {
  const status = mapping.columns.status;
  if (status === undefined) return null;
  const value = cell(row, status.column);
  if (value === null) return null;
  const lower = value.toLowerCase();
  return status.endedValues.some((ended) => collapseWhitespace(ended).toLowerCase() === lower) ? 'ended' : 'active';
}

function mapProducts(row: Row, mapping: SourceMapping): string[] {
  const products = mapping.columns.products;
  if (products === undefined) return [];
  const value = cell(row, products.column);
  if (value === null) return [];
  const seen = new Set<string>();
  const result: string[] = [];
  for (const part of value.split(products.delimiter)) {
    const product = collapseWhitespace(part);
    if (product === '') continue;
    // "Broadband" and "broadband " are one product; the first spelling is kept.
    const key = product.toLowerCase();
    if (seen.has(key)) continue;
    seen.add(key);
    result.push(product);
  }
  return result;
}

function mapConsent(row: Row, mapping: SourceMapping, warnings: string[], today: string | undefined): Consent {
  const consent = mapping.columns.consent;
  if (consent === undefined) return { optedOut: null, date: null };
  const date = mapDate(row, consent.date, warnings, { today });
  const value = cell(row, consent.column);
  if (value === null) return { optedOut: null, date };
  const lower = value.toLowerCase();
  const matches = (values: readonly string[]): boolean =>
    values.some((v) => collapseWhitespace(v).toLowerCase() === lower);
  let flag: boolean | null = null;
  if (matches(consent.trueValues)) flag = true;
  else if (matches(consent.falseValues)) flag = false;
  if (flag === null) {
    warnings.push(`unrecognised consent value in column ${JSON.stringify(consent.column)}`);
    return { optedOut: null, date };
  }
  // opt-in column: "yes" means allowed; opt-out column: "yes" means do not email.
  const optedOut = consent.polarity === 'opt-in' ? !flag : flag;
  return { optedOut, date };
}

function mapIdentifiers(row: Row, mapping: SourceMapping, warnings: string[]): Record<string, string> {
  const identifiers: Record<string, string> = {};
  const declared = mapping.columns.identifiers;
  if (declared === undefined) return identifiers;
  for (const name of Object.keys(declared).sort()) {
    const column = declared[name] as string;
    const value = cell(row, column);
    if (value === null) continue;
    const normalised = normaliseIdentifier(value);
    if (normalised === null) warnings.push(warning('identifier', column, 'placeholder or empty value'));
    else identifiers[name] = normalised;
  }
  return identifiers;
}

/** Maps one CSV row; see the module comment for what rejects a row and what only warns. */
export function mapRow(row: Record<string, string>, context: MapRowContext): MapRowResult {
  const { mapping, source, line, today } = context;
  const columns = mapping.columns;
  const overlong = overlongColumn(row, mapping);
  if (overlong !== null)
    return { ok: false, reason: `value in column ${JSON.stringify(overlong)} is longer than ${MAX_MAPPED_VALUE_CHARS} characters` };
  const recordId = cell(row, columns.id);
  if (recordId === null) return { ok: false, reason: `missing record id in column ${JSON.stringify(columns.id)}` };

  const warnings: string[] = [];
  const name = normalisePersonName({
    first: cell(row, columns.firstName),
    middle: cell(row, columns.middleName),
    last: cell(row, columns.lastName),
    full: cell(row, columns.fullName),
    suffix: cell(row, columns.nameSuffix),
  });
  const emails = mapEmails(row, columnsOf(columns.email), warnings);
  const phones = mapPhones(row, columnsOf(columns.phone), mapping.phoneRegion, warnings);

  const identifiers = mapIdentifiers(row, mapping, warnings);
  const hasName = name.first !== null || name.middle !== null || name.last !== null;
  if (!hasName && emails.keys.length === 0 && phones.length === 0 && Object.keys(identifiers).length === 0) {
    return { ok: false, reason: 'cannot identify a person: no name, no valid email, no valid phone and no identifier' };
  }

  const record: CustomerRecord = {
    key: `${source}:${recordId}`,
    source,
    company: mapping.company,
    recordId,
    line,
    name,
    emails: emails.keys,
    emailsDisplay: emails.display,
    phones,
    address: mapAddress(row, mapping, warnings),
    dateOfBirth: mapDate(row, columns.dateOfBirth, warnings, { dateOfBirth: true, today }),
    identifiers,
    customerSince: mapDate(row, columns.customerSince, warnings, { today }),
    lastActivity: mapDate(row, columns.lastActivity, warnings, { today }),
    status: mapStatus(row, mapping),
    products: mapProducts(row, mapping),
    consent: mapConsent(row, mapping, warnings, today),
    warnings,
  };
  return { ok: true, record };
}
