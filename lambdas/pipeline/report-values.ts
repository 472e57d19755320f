import { CrmMergeError } from '../core/errors';
import type { CustomerRecord } from '../core/model/record';
import { lastSeenDay } from '../core/profiles/activity';

/** The values of a record an auditor needs to judge a match, one string per column of matches.csv. */
export const RECORD_COLUMNS = ['name', 'date_of_birth', 'email', 'phone', 'address'] as const;

/**
 * What the report reads of a record, written by ingest line for line beside the records file: the key, the display
 * values (RECORD_COLUMNS), the fields missing and invalid (data quality), and the day the record was last seen (the
 * later of last activity and customer since, as profiles judge staleness; the report judges it against the plan's
 * as-of date). About a quarter of the record's bytes, and five small values to parse instead of the record's
 * objects: the report reads every record of the run in one job.
 */
export type ReportValuesLine = [key: string, values: string[], missing: string[], invalid: string[], lastSeen: string | null];

/** Field -> whether a record has a value for it, in the order data quality lists the fields. */
const FIELDS: readonly (readonly [field: string, present: (r: CustomerRecord) => boolean])[] = Object.entries({
  first_name: (r) => r.name.first !== null,
  last_name: (r) => r.name.last !== null,
  email: (r) => r.emails.length > 0,
  phone: (r) => r.phones.length > 0,
  address: (r) => r.address.street !== null || r.address.postcode !== null,
  date_of_birth: (r) => r.dateOfBirth !== null,
  last_activity: (r) => r.lastActivity !== null,
} satisfies Record<string, (r: CustomerRecord) => boolean>);

/** "invalid email in column \"mail\": ..." -> "email". */
const WARNING_FIELD = /^invalid ([a-z _-]+?) in column/;

function displayValues(record: CustomerRecord): string[] {
  const { name, address } = record;
  return [
    [name.firstDisplay, name.middle, name.lastDisplay, name.suffix].filter(Boolean).join(' '),
    record.dateOfBirth ?? '',
    record.emailsDisplay.join(' '),
    record.phones.join(' '),
    [address.number, address.street, address.unit, address.city, address.state, address.postcode].filter(Boolean).join(' '),
  ];
}

export function reportValuesOf(record: CustomerRecord): ReportValuesLine {
  const missing: string[] = [];
  for (const [field, present] of FIELDS) if (!present(record)) missing.push(field);
  const invalid = record.warnings.map((warning) => WARNING_FIELD.exec(warning)?.[1] ?? 'other');
  return [record.key, displayValues(record), missing, invalid, lastSeenDay(record)];
}

export const encodeReportValues = (record: CustomerRecord): string => JSON.stringify(reportValuesOf(record));

export function decodeReportValues(text: string): ReportValuesLine {
  const line = JSON.parse(text) as unknown;
  if (!Array.isArray(line) || line.length !== 5 || typeof line[0] !== 'string' || !Array.isArray(line[1]))
    throw new CrmMergeError('report values line is not [key, values, missing, invalid, last seen]');
  return line as ReportValuesLine;
}
