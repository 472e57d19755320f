import { jaroWinkler } from '../similarity/jaro-winkler';
import { damerauLevenshtein } from '../similarity/levenshtein';
import { canonicalFirstNames } from '../normalise/nicknames';
import type { MatchFeatures } from './features';

/**
 * Comparisons in Splink's sense: each compares one aspect of two records and returns a comparison level.
 * Level 0 is always the null level (no evidence either way); the others run from the strongest agreement down to
 * "all other". A level marked `decisive` is a clearly-different finding (twins' first names, father and son's
 * suffixes or birth dates): it vetoes a link however much else agrees, because those records share a household,
 * unless a unique identifier (national id, loyalty number) agrees.
 */
export interface ComparisonLevel {
  label: string;
  isNull?: true;
  /** Exact-match level whose weight is adjusted by the term frequency of the shared value. */
  termFrequency?: TermFrequencyColumn;
  /**
   * A clearly-different finding that vetoes a link: 'always' (a Jr and a Sr are two people), or 'when-rare': only
   * when the fitted model says true matches almost never show it (see TrainingOptions.decisiveMaxM).
   */
  decisive?: 'always' | 'when-rare';
  /** Agreement on a unique identifier: confirms identity and overrides any decisive disagreement. */
  confirmsIdentity?: true;
  /**
   * A level for pairs where one side lacks part of the value (a campaign row with a ZIP but no street): it cannot
   * tell apart the listed levels, so its m and u are their sums (the marginal probability of what is observed),
   * not estimated on their own.
   */
  marginalOf?: readonly number[];
}

/** Levels whose m and u are estimated from data: not null, not marginal. */
export const isEstimatedLevel = (level: ComparisonLevel): boolean => !level.isNull && level.marginalOf === undefined;

export type TermFrequencyColumn = 'first' | 'last' | 'city';

export interface Comparison {
  name: string;
  description: string;
  levels: readonly ComparisonLevel[];
  /** The level of a pair; must be cheap, it runs for every candidate pair. */
  level(a: MatchFeatures, b: MatchFeatures): number;
}

const NULL_LEVEL: ComparisonLevel = { label: 'null', isNull: true };

function sharesAny(a: readonly string[], b: readonly string[]): boolean {
  for (let i = 0; i < a.length; i++) {
    const x = a[i];
    for (let j = 0; j < b.length; j++) if (x === b[j]) return true;
  }
  return false;
}

/** A nickname against a mistyped formal name: "Don" and "Donad" (Donald), "Pam" and "Paamela" (Pamela). */
function nicknameOfMistypedName(a: readonly string[], b: readonly string[]): boolean {
  for (let i = 0; i < a.length; i++) {
    const x = a[i];
    if (x.length < 5) continue;
    for (let j = 0; j < b.length; j++) {
      const y = b[j];
      if (x !== y && y.length >= 5 && damerauLevenshtein(x, y, 1) <= 1) return true;
    }
  }
  return false;
}

function isInitialOf(initial: string, name: string): boolean {
  return initial.length === 1 && name.charCodeAt(0) === initial.charCodeAt(0);
}

/*
 * One-pair memo of the first-name level, keyed by record identity: features are never mutated after toFeatures, so
 * the same two objects always give the same level. Saves two of the three first-name evaluations per pair.
 */
let cachedLeft: MatchFeatures | null = null;
let cachedRight: MatchFeatures | null = null;
let cachedFirstLevel = 0;

function firstNameLevel(a: MatchFeatures, b: MatchFeatures): number {
  if (a.first === null || b.first === null) return 0;
  if (a.first === b.first) return 1;
  if (a.last !== null && a.first === b.last && a.last === b.first) return 2;
  if (sharesAny(a.firstCanonicals, b.firstCanonicals)) return 3;
  const distance = damerauLevenshtein(a.first, b.first, 2);
  if (distance > 1 && nicknameOfMistypedName(a.firstCanonicals, b.firstCanonicals)) return 3;
  if (distance === 1) return 4;
  if (jaroWinkler(a.first, b.first) >= 0.92) return 5;
  if (distance === 2 && Math.min(a.first.length, b.first.length) >= 6) return 6;
  if (isInitialOf(a.first, b.first) || isInitialOf(b.first, a.first)) return 7;
  if ((a.middle !== null && a.middle === b.first) || (b.middle !== null && b.middle === a.first)) return 7;
  return 8;
}

export const firstNameComparison: Comparison = {
  name: 'first_name',
  description:
    'Given name: exact, swapped with surname, nickname, one typo, Jaro-Winkler >= 0.92, two typos, initial or middle name',
  levels: [
    NULL_LEVEL,
    { label: 'exact', termFrequency: 'first' },
    { label: 'swapped with surname' },
    { label: 'nickname of the same name' },
    { label: 'one typo (Damerau-Levenshtein 1)' },
    { label: 'Jaro-Winkler >= 0.92' },
    { label: 'two typos (Damerau-Levenshtein 2)' },
    { label: 'initial or middle name' },
    // Similar-looking but different names (Brian and Brandon, Christina and Christopher) land here on purpose:
    // twins are often given them, and a typo is an edit, not a resemblance.
    { label: 'all other', decisive: 'when-rare' },
  ],
  level(a, b) {
    // The gender and middle-name comparisons ask for this level of the same pair right after; remember it.
    if (a === cachedLeft && b === cachedRight) return cachedFirstLevel;
    const level = firstNameLevel(a, b);
    cachedLeft = a;
    cachedRight = b;
    cachedFirstLevel = level;
    return level;
  },
};

export const firstNameGenderComparison: Comparison = {
  name: 'first_name_gender',
  description:
    'For first names a typo apart (one or two edits, Jaro-Winkler >= 0.92): whether they carry the same gender. ' +
    'Carl and Carol, Daniel and Danielle are two people, not a typo (null otherwise, or when a gender is unknown)',
  levels: [NULL_LEVEL, { label: 'same' }, { label: 'different', decisive: 'always' }],
  level(a, b) {
    if (a.firstGender === null || b.firstGender === null) return 0;
    const first = firstNameComparison.level(a, b);
    if (first < 4 || first > 6) return 0;
    return a.firstGender === b.firstGender ? 1 : 2;
  },
};

/** What split(' ')[0] gives, without the array. */
function firstToken(text: string): string {
  const space = text.indexOf(' ');
  return space === -1 ? text : text.slice(0, space);
}

/** True when `token` is one of the space-separated parts of `text`: split(' ').includes(token), without the array. */
function hasToken(text: string, token: string): boolean {
  // A part never contains a space; an empty token is a part only where text has an empty part.
  if (token.indexOf(' ') !== -1) return false;
  const length = token.length;
  for (let at = text.indexOf(token); at !== -1; at = text.indexOf(token, at + 1)) {
    const startsPart = at === 0 || text.charCodeAt(at - 1) === SPACE;
    const endsPart = at + length === text.length || text.charCodeAt(at + length) === SPACE;
    if (startsPart && endsPart) return true;
    if (at >= text.length) break;
  }
  return false;
}

const SPACE = 32;

/** First token of a middle name compatible with the other's: same initial, or nicknames of one name. */
function middleNamesCompatible(x: string, y: string): boolean {
  const a = firstToken(x);
  const b = firstToken(y);
  if (a.charCodeAt(0) === b.charCodeAt(0)) return true;
  if (a.length === 1 || b.length === 1) return false;
  return sharesAny(canonicalFirstNames(a), canonicalFirstNames(b));
}

export const middleNameComparison: Comparison = {
  name: 'middle_name',
  description:
    'For first names that are forms of one name without being the same (nickname, typo, Jaro-Winkler): whether ' +
    'the middle names agree (same initial, or nicknames of one name). Christina F. and Chris Philip at one address ' +
    'are twins, not a nickname (null otherwise, or when a middle name is missing)',
  levels: [NULL_LEVEL, { label: 'compatible' }, { label: 'different', decisive: 'when-rare' }],
  level(a, b) {
    if (a.middle === null || b.middle === null || a.middle === '' || b.middle === '') return 0;
    const first = firstNameComparison.level(a, b);
    if (first < 3 || first > 6) return 0;
    return middleNamesCompatible(a.middle, b.middle) ? 1 : 2;
  },
};

export const surnameComparison: Comparison = {
  name: 'surname',
  description: 'Surname (multi-part surnames compared without spaces): exact, Jaro-Winkler bands (null when swapped with the given name)',
  levels: [
    NULL_LEVEL,
    { label: 'exact', termFrequency: 'last' },
    { label: 'Jaro-Winkler >= 0.92' },
    { label: 'Jaro-Winkler >= 0.80 or one part of the other' },
    { label: 'all other' },
  ],
  level(a, b) {
    if (a.lastCompact === null || b.lastCompact === null) return 0;
    if (a.lastCompact === b.lastCompact) return 1;
    // Swapped name fields are evidence the first-name comparison already counts; counting it here too would
    // double it, so the surname says nothing for such a pair.
    if (a.first !== null && a.first === b.last && a.last === b.first) return 0;
    const similarity = jaroWinkler(a.lastCompact, b.lastCompact);
    if (similarity >= 0.92) return 2;
    if (similarity >= 0.8) return 3;
    if (a.last !== null && b.last !== null && (hasToken(a.last, b.last) || hasToken(b.last, a.last))) return 3;
    return 4;
  },
};

/** slice(4, 6) of one equals slice(6, 8) of the other and the other way round, without four substrings. */
function dayAndMonthSwapped(x: string, y: string): boolean {
  // charCodeAt past the end is NaN, where slice gives a shorter string: keep slice for dates that are not YYYYMMDD.
  if (x.length < 8 || y.length < 8) return x.slice(4, 6) === y.slice(6, 8) && x.slice(6, 8) === y.slice(4, 6);
  return (
    x.charCodeAt(4) === y.charCodeAt(6) &&
    x.charCodeAt(5) === y.charCodeAt(7) &&
    x.charCodeAt(6) === y.charCodeAt(4) &&
    x.charCodeAt(7) === y.charCodeAt(5)
  );
}

export const dateOfBirthComparison: Comparison = {
  name: 'date_of_birth',
  description: 'Date of birth: exact, one digit off, day and month swapped, within a year',
  levels: [
    NULL_LEVEL,
    { label: 'exact' },
    { label: 'one character off' },
    { label: 'day and month swapped' },
    { label: 'within a year' },
    { label: 'all other', decisive: 'when-rare' },
  ],
  level(a, b) {
    if (a.dob === null || b.dob === null) return 0;
    if (a.dob === b.dob) return 1;
    if (damerauLevenshtein(a.dob, b.dob, 1) <= 1) return 2;
    if (a.dobYear === b.dobYear && dayAndMonthSwapped(a.dob, b.dob)) return 3;
    if (a.dobDay !== null && b.dobDay !== null && Math.abs(a.dobDay - b.dobDay) <= 366) return 4;
    return 5;
  },
};

/** Email local parts with a number of two or more digits in them (a birth year, a house number): personal handles. */
function numberedLocals(emails: readonly string[]): string[] {
  return emails.map((email) => email.slice(0, email.lastIndexOf('@'))).filter((local) => /\d{2}/.test(local));
}

export const suffixComparison: Comparison = {
  name: 'suffix',
  description:
    'Generational suffix (Jr, Sr, III): same, only one record states one (birth dates within a year, or the same ' +
    'email or numbered local part), different, only one states one and nothing else tells father from son ' +
    '(a birth date missing or more than a year apart, and no shared email or numbered local part)',
  levels: [
    NULL_LEVEL,
    { label: 'same' },
    { label: 'only one states a suffix' },
    { label: 'different', decisive: 'always' },
    // A suffix on one side says the family has a father and a son of that name. With no birth date to tell them
    // apart ("Joseph Bryant Jr", no birth date, against "Joseph Bryant" born 1941 at the same house), the record
    // may be either: merging father and son is the costly error, so the pair is clearly different. A policy, not a
    // 'when-rare' level: sessions blocked on a birth date would always estimate it rare, since they never see it.
    { label: 'only one states a suffix, nothing tells father from son', decisive: 'always' },
  ],
  level(a, b) {
    if (a.suffix === null && b.suffix === null) return 0;
    if (a.suffix !== null && b.suffix !== null) return a.suffix === b.suffix ? 1 : 3;
    // Birth dates within a year, or the same email address or numbered local part ("donald1979" at another
    // provider: one person's handle, unlike a household's landline), say which of the two the record is.
    const dob = dateOfBirthComparison.level(a, b);
    if (dob !== 0 && dob !== 5) return 2;
    return sharesAny(a.emails, b.emails) || sharesAny(numberedLocals(a.emails), numberedLocals(b.emails)) ? 2 : 4;
  },
};

export const emailComparison: Comparison = {
  name: 'email',
  description: 'Email (provider rules applied): exact, same local part at another domain',
  levels: [NULL_LEVEL, { label: 'exact' }, { label: 'same local part' }, { label: 'all other' }],
  level(a, b) {
    if (a.emails.length === 0 || b.emails.length === 0) return 0;
    if (sharesAny(a.emails, b.emails)) return 1;
    if (sharesAny(a.emailLocals, b.emailLocals)) return 2;
    return 3;
  },
};

export const phoneComparison: Comparison = {
  name: 'phone',
  description: 'Phone (E.164): exact, same last seven digits',
  levels: [NULL_LEVEL, { label: 'exact' }, { label: 'same last 7 digits' }, { label: 'all other' }],
  level(a, b) {
    if (a.phones.length === 0 || b.phones.length === 0) return 0;
    if (sharesAny(a.phones, b.phones)) return 1;
    if (sharesAny(a.phoneLast7, b.phoneLast7)) return 2;
    return 3;
  },
};

function sameStreet(a: MatchFeatures, b: MatchFeatures): boolean {
  return (
    a.houseNumber !== null &&
    a.houseNumber === b.houseNumber &&
    a.street !== null &&
    b.street !== null &&
    (a.street === b.street || jaroWinkler(a.street, b.street) >= 0.9)
  );
}

export const addressComparison: Comparison = {
  name: 'address',
  description:
    'Address: same house (number, street, postcode), same number and street, same postcode, same postcode area ' +
    '(a move nearby); when one side has only a postcode, postcode agreement weighed as the sum of the levels it ' +
    'cannot tell apart',
  levels: [
    NULL_LEVEL,
    { label: 'same house' },
    { label: 'same number and street' },
    { label: 'same postcode' },
    { label: 'same postcode area' },
    { label: 'all other' },
    { label: 'same postcode, street unknown', marginalOf: [1, 3] },
    { label: 'same postcode area, street unknown', marginalOf: [4] },
    { label: 'other area, street unknown', marginalOf: [2, 5] },
  ],
  level(a, b) {
    const bothPostcodes = a.postcode !== null && b.postcode !== null;
    const samePostcode = bothPostcodes && a.postcode === b.postcode;
    const sameArea = bothPostcodes && a.postcodeArea === b.postcodeArea;
    if (a.houseNumber !== null && a.street !== null && b.houseNumber !== null && b.street !== null) {
      if (sameStreet(a, b)) return samePostcode ? 1 : 2;
      return samePostcode ? 3 : sameArea ? 4 : 5;
    }
    if (!bothPostcodes) return 0;
    return samePostcode ? 6 : sameArea ? 7 : 8;
  },
};

export const cityComparison: Comparison = {
  name: 'city',
  description: 'City or suburb: exact (term-frequency adjusted), Jaro-Winkler >= 0.90',
  levels: [NULL_LEVEL, { label: 'exact', termFrequency: 'city' }, { label: 'Jaro-Winkler >= 0.90' }, { label: 'all other' }],
  level(a, b) {
    if (a.city === null || b.city === null) return 0;
    if (a.city === b.city) return 1;
    return jaroWinkler(a.city, b.city) >= 0.9 ? 2 : 3;
  },
};

/** An identifier both companies hold (national id, loyalty number): exact or within one or two typos. */
export function identifierComparison(identifier: string): Comparison {
  return {
    name: `id_${identifier}`,
    description: `Identifier "${identifier}": exact, one typo, two typos`,
    levels: [
      NULL_LEVEL,
      { label: 'exact', confirmsIdentity: true },
      { label: 'one typo', confirmsIdentity: true },
      { label: 'two typos' },
      { label: 'all other' },
    ],
    level(a, b) {
      const x = a.identifiers[identifier];
      const y = b.identifiers[identifier];
      if (x === undefined || y === undefined) return 0;
      if (x === y) return 1;
      const distance = damerauLevenshtein(x, y, 2);
      return distance === 1 ? 2 : distance === 2 ? 3 : 4;
    },
  };
}

/** The default comparisons of a run, given the identifiers its mappings declare. */
export function defaultComparisons(identifiers: readonly string[]): Comparison[] {
  return [
    firstNameComparison,
    firstNameGenderComparison,
    middleNameComparison,
    surnameComparison,
    suffixComparison,
    dateOfBirthComparison,
    emailComparison,
    phoneComparison,
    addressComparison,
    cityComparison,
    ...[...identifiers].sort().map(identifierComparison),
  ];
}
