import type { CustomerRecord } from '../model/record';
import { nameGender, type NameGender } from '../normalise/name-gender';
import { canonicalFirstNames } from '../normalise/nicknames';
import { doubleMetaphone } from '../similarity/phonetic';

/**
 * The comparison view of a record: every value a comparison or blocking rule reads, derived once per record so the
 * hot loop over millions of pairs only compares ready strings and numbers.
 */
export interface MatchFeatures {
  /** Position in the run's record array; pairs refer to records by index. */
  index: number;
  key: string;
  source: string;
  company: string;
  first: string | null;
  firstCanonicals: readonly string[];
  firstCanonical: string | null;
  firstSound: string | null;
  /** The gender the first name usually carries; null when unknown or used for both. */
  firstGender: NameGender | null;
  middle: string | null;
  last: string | null;
  /** Surname without spaces, hyphens and apostrophes: "van der berg" = "vanderberg". */
  lastCompact: string | null;
  lastSound: string | null;
  suffix: string | null;
  /** Date of birth as YYYYMMDD. */
  dob: string | null;
  dobYear: string | null;
  /** Days since 1970-01-01, for "within a year". */
  dobDay: number | null;
  emails: readonly string[];
  /** Local parts of the emails that are not made of the person's name (see emailComparison). */
  emailLocals: readonly string[];
  phones: readonly string[];
  phoneLast7: readonly string[];
  houseNumber: string | null;
  street: string | null;
  postcode: string | null;
  /** The postcode's area: the first three characters of a five-or-more character postcode, else the first two. */
  postcodeArea: string | null;
  city: string | null;
  identifiers: Readonly<Record<string, string>>;
}

const NON_LETTERS = /[^a-z]/g;

function compact(value: string | null): string | null {
  if (value === null) return null;
  const result = value.replace(NON_LETTERS, '');
  return result.length > 0 ? result : null;
}

function sound(value: string | null): string | null {
  if (value === null) return null;
  const code = doubleMetaphone(value);
  return code.length > 0 ? code : value;
}

/**
 * "ttaylor", "m.miller", "taylor.t": a local part spelled from the surname. Two such addresses at different
 * providers say little beyond the names already compared (every Thomas Taylor may own one), so they are not
 * compared as "same local part".
 */
function madeOfName(local: string, last: string | null, first: string | null): boolean {
  const letters = local.replace(NON_LETTERS, '');
  const surname = compact(last);
  if (surname !== null && surname.length >= 3 && letters.includes(surname)) return true;
  const given = compact(first);
  return given !== null && given.length >= 3 && letters.length <= given.length + 2 && letters.includes(given);
}

/** The first three characters of a five-or-more character postcode, else the first two. */
export function postcodeAreaOf(postcode: string | null): string | null {
  return postcode ? postcode.slice(0, postcode.length >= 5 ? 3 : 2) : null;
}

/** The last seven digits of each phone: the subscriber number whatever the area or country code. */
export const phoneTails = (phones: readonly string[]): string[] => phones.map((phone) => phone.slice(-7));

function dayNumber(iso: string): number | null {
  const time = Date.UTC(Number(iso.slice(0, 4)), Number(iso.slice(5, 7)) - 1, Number(iso.slice(8, 10)));
  return Number.isFinite(time) ? Math.round(time / 86_400_000) : null;
}

export function toFeatures(record: CustomerRecord, index: number): MatchFeatures {
  const { name, address } = record;
  const lastCompact = compact(name.last);
  const canonicals = name.first ? canonicalFirstNames(name.first) : [];
  const dob = record.dateOfBirth ? record.dateOfBirth.replace(/-/g, '') : null;
  return {
    index,
    key: record.key,
    source: record.source,
    company: record.company,
    first: name.first,
    firstCanonicals: canonicals,
    firstCanonical: name.firstCanonical,
    firstSound: sound(compact(name.firstCanonical ?? name.first)),
    firstGender: nameGender(name.first),
    middle: name.middle,
    last: name.last,
    lastCompact,
    lastSound: sound(lastCompact),
    suffix: name.suffix,
    dob,
    dobYear: dob ? dob.slice(0, 4) : null,
    dobDay: record.dateOfBirth ? dayNumber(record.dateOfBirth) : null,
    emails: record.emails,
    emailLocals: record.emails
      .map((email) => email.slice(0, email.lastIndexOf('@')))
      .filter((local) => !madeOfName(local, name.last, name.first)),
    phones: record.phones,
    phoneLast7: phoneTails(record.phones),
    houseNumber: address.number,
    street: address.street,
    postcode: address.postcode,
    postcodeArea: postcodeAreaOf(address.postcode),
    city: address.city,
    identifiers: record.identifiers,
  };
}
