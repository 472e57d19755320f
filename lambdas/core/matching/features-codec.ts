import { CrmMergeError } from '../errors';
import type { NameGender } from '../normalise/name-gender';
import { phoneTails, postcodeAreaOf, type MatchFeatures } from './features';

/**
 * The features of a record as a work-file line: a JSON array in a fixed field order, without the field names and
 * without the fields derived from others in a slice (birth year, postcode area, phone tails). Plan copies a
 * record's line into every partition it belongs to and compare parses each copy, so the line's length is paid
 * about six times per record: this form is under half the length of the named object.
 */
type FeaturesRow = [
  key: string,
  source: string,
  company: string,
  first: string | null,
  firstCanonicals: readonly string[],
  firstCanonical: string | null,
  firstSound: string | null,
  firstGender: NameGender | null,
  middle: string | null,
  last: string | null,
  lastCompact: string | null,
  lastSound: string | null,
  suffix: string | null,
  dob: string | null,
  dobDay: number | null,
  emails: readonly string[],
  emailLocals: readonly string[],
  phones: readonly string[],
  houseNumber: string | null,
  street: string | null,
  postcode: string | null,
  city: string | null,
  identifiers: Readonly<Record<string, string>>,
];

const FIELDS = 23;

export function encodeFeatures(f: MatchFeatures): string {
  const row: FeaturesRow = [
    f.key,
    f.source,
    f.company,
    f.first,
    f.firstCanonicals,
    f.firstCanonical,
    f.firstSound,
    f.firstGender,
    f.middle,
    f.last,
    f.lastCompact,
    f.lastSound,
    f.suffix,
    f.dob,
    f.dobDay,
    f.emails,
    f.emailLocals,
    f.phones,
    f.houseNumber,
    f.street,
    f.postcode,
    f.city,
    f.identifiers,
  ];
  return JSON.stringify(row);
}

const NO_VALUES: readonly string[] = Object.freeze([]);
const NO_IDENTIFIERS: Readonly<Record<string, string>> = Object.freeze({});

/**
 * An empty list or identifier map as one shared, frozen value: the parsed empty one then dies young instead of being
 * kept with the record (a compare job keeps every record of its partition, and the collector copies and traces each).
 */
const shared = (values: readonly string[]): readonly string[] => (values.length === 0 ? NO_VALUES : values);
const sharedIdentifiers = (identifiers: Readonly<Record<string, string>>): Readonly<Record<string, string>> => {
  for (const _ in identifiers) return identifiers;
  return NO_IDENTIFIERS;
};

/** Decodes a row parsed from an encoded line (JSON.parse(encodeFeatures(f))) back to the features, at `index`. */
export function featuresFromRow(value: unknown, index: number): MatchFeatures {
  if (!Array.isArray(value) || value.length !== FIELDS) throw new CrmMergeError('features line is not a features row');
  const row = value as FeaturesRow;
  const dob = row[13];
  const postcode = row[20];
  const phones = shared(row[17]);
  return {
    index,
    key: row[0],
    source: row[1],
    company: row[2],
    first: row[3],
    firstCanonicals: shared(row[4]),
    firstCanonical: row[5],
    firstSound: row[6],
    firstGender: row[7],
    middle: row[8],
    last: row[9],
    lastCompact: row[10],
    lastSound: row[11],
    suffix: row[12],
    dob,
    dobYear: dob ? dob.slice(0, 4) : null,
    dobDay: row[14],
    emails: shared(row[15]),
    emailLocals: shared(row[16]),
    phones,
    phoneLast7: phones.length === 0 ? NO_VALUES : phoneTails(phones),
    houseNumber: row[18],
    street: row[19],
    postcode,
    postcodeArea: postcodeAreaOf(postcode),
    city: row[21],
    identifiers: sharedIdentifiers(row[22]),
  };
}

export const decodeFeatures = (line: string, index: number): MatchFeatures => featuresFromRow(JSON.parse(line), index);
