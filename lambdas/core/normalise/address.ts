/**
 * Postal addresses, US style, to comparable parts: "12 Main Street Apt 4B, Springfield, Illinois 62704-1234" ->
 * number "12", street "main st", unit "4b", city "springfield", state "il", postcode "62704".
 *
 * Everything is lower case except the postcode (upper-case alphanumerics, so UK and Canadian codes read naturally).
 * Street words get USPS-style abbreviations, so "Avenue" and "Ave" meet; unit designators (Apt, Unit, Suite, #) are
 * dropped and only the unit's value is kept, because sources disagree on the designator far more than on the value.
 */
import type { PostalAddress } from '../model/record';
import { cleanCell, foldCase } from './text';
import { memoised } from './memo';

export interface AddressParts {
  /** First street line; may hold "12 Main Street" when number and street are not separate columns. */
  line1?: string | null;
  line2?: string | null;
  number?: string | null;
  street?: string | null;
  unit?: string | null;
  city?: string | null;
  state?: string | null;
  postcode?: string | null;
}

/** Street-type words that mark the end of a street name; used both to abbreviate and to find where the city starts. */
const STREET_TYPES: ReadonlyMap<string, string> = new Map([
  ['street', 'st'], ['st', 'st'], ['str', 'st'],
  ['avenue', 'ave'], ['ave', 'ave'], ['av', 'ave'], ['aven', 'ave'],
  ['road', 'rd'], ['rd', 'rd'],
  ['boulevard', 'blvd'], ['blvd', 'blvd'], ['boul', 'blvd'],
  ['drive', 'dr'], ['dr', 'dr'], ['drv', 'dr'],
  ['lane', 'ln'], ['ln', 'ln'],
  ['court', 'ct'], ['ct', 'ct'], ['crt', 'ct'],
  ['place', 'pl'], ['pl', 'pl'],
  ['terrace', 'ter'], ['ter', 'ter'], ['terr', 'ter'],
  ['circuit', 'cct'], ['cct', 'cct'],
  ['crescent', 'cres'], ['cres', 'cres'], ['cresc', 'cres'],
  ['highway', 'hwy'], ['hwy', 'hwy'],
  ['parkway', 'pkwy'], ['pkwy', 'pkwy'], ['pky', 'pkwy'],
  ['circle', 'cir'], ['cir', 'cir'], ['circ', 'cir'],
  ['square', 'sq'], ['sq', 'sq'],
  ['trail', 'trl'], ['trl', 'trl'],
  ['way', 'way'],
  ['alley', 'aly'], ['aly', 'aly'],
  ['plaza', 'plz'], ['plz', 'plz'],
  ['expressway', 'expy'], ['expy', 'expy'],
  ['freeway', 'fwy'], ['fwy', 'fwy'],
  ['turnpike', 'tpke'], ['tpke', 'tpke'],
  ['close', 'cl'],
  ['parade', 'pde'], ['pde', 'pde'],
]);

const DIRECTIONALS: ReadonlyMap<string, string> = new Map([
  ['north', 'n'], ['n', 'n'], ['south', 's'], ['s', 's'], ['east', 'e'], ['e', 'e'], ['west', 'w'], ['w', 'w'],
  ['northeast', 'ne'], ['ne', 'ne'], ['northwest', 'nw'], ['nw', 'nw'],
  ['southeast', 'se'], ['se', 'se'], ['southwest', 'sw'], ['sw', 'sw'],
]);

/** Other words with a standard short form, applied in street names and cities ("Saint", "Mount", "First"). */
const OTHER_ABBREVIATIONS: ReadonlyMap<string, string> = new Map([
  ['saint', 'st'], ['sainte', 'ste'], ['mount', 'mt'], ['fort', 'ft'],
  ['first', '1st'], ['second', '2nd'], ['third', '3rd'], ['fourth', '4th'], ['fifth', '5th'], ['sixth', '6th'],
  ['seventh', '7th'], ['eighth', '8th'], ['ninth', '9th'], ['tenth', '10th'],
]);

/** Words introducing a unit; the token after them is the unit's value. */
const UNIT_DESIGNATORS: ReadonlySet<string> = new Set([
  'apt', 'apartment', 'unit', 'suite', 'ste', '#', 'flat', 'fl', 'floor', 'rm', 'room', 'bldg', 'building', 'lot',
  'spc', 'space', 'trlr', 'dept',
]);

const US_STATES: ReadonlyMap<string, string> = new Map([
  ['alabama', 'al'], ['alaska', 'ak'], ['arizona', 'az'], ['arkansas', 'ar'], ['california', 'ca'],
  ['colorado', 'co'], ['connecticut', 'ct'], ['delaware', 'de'], ['district of columbia', 'dc'], ['florida', 'fl'],
  ['georgia', 'ga'], ['hawaii', 'hi'], ['idaho', 'id'], ['illinois', 'il'], ['indiana', 'in'], ['iowa', 'ia'],
  ['kansas', 'ks'], ['kentucky', 'ky'], ['louisiana', 'la'], ['maine', 'me'], ['maryland', 'md'],
  ['massachusetts', 'ma'], ['michigan', 'mi'], ['minnesota', 'mn'], ['mississippi', 'ms'], ['missouri', 'mo'],
  ['montana', 'mt'], ['nebraska', 'ne'], ['nevada', 'nv'], ['new hampshire', 'nh'], ['new jersey', 'nj'],
  ['new mexico', 'nm'], ['new york', 'ny'], ['north carolina', 'nc'], ['north dakota', 'nd'], ['ohio', 'oh'],
  ['oklahoma', 'ok'], ['oregon', 'or'], ['pennsylvania', 'pa'], ['rhode island', 'ri'], ['south carolina', 'sc'],
  ['south dakota', 'sd'], ['tennessee', 'tn'], ['texas', 'tx'], ['utah', 'ut'], ['vermont', 'vt'],
  ['virginia', 'va'], ['washington', 'wa'], ['west virginia', 'wv'], ['wisconsin', 'wi'], ['wyoming', 'wy'],
  ['puerto rico', 'pr'], ['guam', 'gu'], ['us virgin islands', 'vi'], ['virgin islands', 'vi'],
  ['american samoa', 'as'], ['northern mariana islands', 'mp'],
]);
const US_STATE_CODES: ReadonlySet<string> = new Set([...US_STATES.values(), 'aa', 'ae', 'ap']);
/** Longest state name in words, so the end of a line is searched only as far back as needed. */
const MAX_STATE_WORDS = 3;

const APOSTROPHES_AND_DOTS = /[.'\u2018\u2019`]/g;
const OTHER_PUNCTUATION = /[^a-z0-9#/,\s-]/g;
/** Hyphens next to a digit join ("12-14", "4-B", "62704-1234"); between words they separate ("Wilkes-Barre"). */
const WORD_HYPHEN = /(?<=[a-z])-(?=[a-z])|(?<![a-z0-9])-|-(?![a-z0-9])/g;
const HASH = /#/g;
const WHITESPACE_RUN = /\s+/g;
const US_ZIP = /^(\d{5})(?:-?\d{4})?$/;
const SHORT_ZIP = /^\d{4}(?:-\d{4})?$/;
const CANADIAN_FULL = /^[a-z]\d[a-z]\d[a-z]\d$/;
const CANADIAN_FIRST = /^[a-z]\d[a-z]$/;
const CANADIAN_SECOND = /^\d[a-z]\d$/;
const UK_OUTWARD = /^[a-z]{1,2}\d[a-z\d]?$/;
const UK_INWARD = /^\d[a-z]{2}$/;
const HOUSE_NUMBER = /^\d+[a-z]?$|^\d+-\d+[a-z]?$|^\d+-?[a-z]$/;
const UNIT_SLASH_NUMBER = /^([a-z0-9]+)\/(\d+[a-z]?)$/;
const FRACTION = /^\d\/\d$/;
const ATTACHED_UNIT = /^(?:apt|unit|ste|suite|#)(\d[a-z0-9-]*)$/;
const LEADING_ZEROS = /^0+(?=\d)/;
const NON_ALPHANUMERIC_UPPER = /[^A-Z0-9]/g;

function emptyAddress(): PostalAddress {
  return { number: null, street: null, unit: null, city: null, state: null, postcode: null };
}

/** Folded, punctuation-light text split into comma segments of tokens. */
function segmentsOf(text: string): string[][] {
  const prepared = foldCase(text)
    .replace(APOSTROPHES_AND_DOTS, '')
    .replace(OTHER_PUNCTUATION, ' ')
    .replace(WORD_HYPHEN, ' ')
    .replace(HASH, ' # ');
  const segments: string[][] = [];
  for (const segment of prepared.split(',')) {
    const tokens = segment.replace(WHITESPACE_RUN, ' ').trim();
    if (tokens !== '') segments.push(tokens.split(' '));
  }
  return segments;
}

function tokensOf(text: string): string[] {
  return segmentsOf(text).flat();
}

function abbreviate(token: string): string {
  return STREET_TYPES.get(token) ?? DIRECTIONALS.get(token) ?? OTHER_ABBREVIATIONS.get(token) ?? token;
}

function unitValue(raw: string): string {
  return raw.replace(HASH, '').replace(LEADING_ZEROS, '').replace(/-/g, '');
}

function houseNumber(raw: string): string {
  return raw.replace(LEADING_ZEROS, '').replace(/-(?=[a-z]$)/, '');
}

interface StreetLine {
  number: string | null;
  street: string | null;
  unit: string | null;
}

/**
 * Reads number, street and unit from street-line tokens in any of the orders seen in exports: "12 main st apt 4",
 * "apt 4 12 main st", "# 4 12 main st", "4/12 main st" (unit/number), "po box 12".
 */
function parseStreetTokens(input: readonly string[]): StreetLine {
  const units: string[] = [];
  const rest: string[] = [];
  for (let i = 0; i < input.length; i++) {
    const token = input[i] as string;
    const attached = ATTACHED_UNIT.exec(token);
    if (attached) {
      units.push(unitValue(attached[1] as string));
    } else if (UNIT_DESIGNATORS.has(token)) {
      let next = input[i + 1];
      if (next === '#') next = input[++i + 1];
      if (next !== undefined && !UNIT_DESIGNATORS.has(next)) {
        units.push(unitValue(next));
        i++;
      }
    } else rest.push(token);
  }

  let number: string | null = null;
  let street: string[] = [];
  const boxAt = rest.indexOf('box');
  const isPoBox =
    boxAt >= 0 &&
    (boxAt === 0 ||
      rest[boxAt - 1] === 'po' ||
      rest[boxAt - 1] === 'pob' ||
      (rest[boxAt - 1] === 'o' && rest[boxAt - 2] === 'p') ||
      (rest[boxAt - 1] === 'office' && rest[boxAt - 2] === 'post'));
  if (rest[0] === 'pob' && rest[1] !== undefined && /^\d/.test(rest[1])) {
    number = rest[1];
    street = ['po', 'box'];
  } else if (isPoBox) {
    const boxNumber = rest[boxAt + 1];
    number = boxNumber ?? null;
    street = ['po', 'box'];
  } else {
    let start = 0;
    const first = rest[0];
    const slash = first !== undefined ? UNIT_SLASH_NUMBER.exec(first) : null;
    if (slash) {
      units.push(unitValue(slash[1] as string));
      number = houseNumber(slash[2] as string);
      start = 1;
    } else if (first !== undefined && HOUSE_NUMBER.test(first)) {
      number = houseNumber(first);
      start = 1;
      if (rest[1] !== undefined && FRACTION.test(rest[1])) {
        number = `${number} ${rest[1]}`;
        start = 2;
      }
    }
    street = rest.slice(start).map(abbreviate);
  }
  return {
    number,
    street: street.length > 0 ? street.join(' ') : null,
    unit: units.length > 0 ? units.join(' ') : null,
  };
}

function isUsZip(token: string): boolean {
  return US_ZIP.test(token);
}

/** Removes a postcode from the end of the last segment; returns it upper-cased without spaces. */
function takePostcode(segments: string[][]): string | null {
  const last = segments[segments.length - 1];
  if (!last || last.length === 0) return null;
  const final = last[last.length - 1] as string;
  const beforeFinal = last[last.length - 2];
  let taken: string[] | null = null;
  if (isUsZip(final) || CANADIAN_FULL.test(final)) taken = [final];
  else if (SHORT_ZIP.test(final) && beforeFinal !== undefined && US_STATE_CODES.has(beforeFinal)) {
    // A ZIP that lost its leading zero in a spreadsheet ("MA 2134"); normalisePostcode pads it back.
    taken = [final];
  } else if (beforeFinal !== undefined && CANADIAN_FIRST.test(beforeFinal) && CANADIAN_SECOND.test(final)) {
    taken = [beforeFinal, final];
  } else if (beforeFinal !== undefined && UK_OUTWARD.test(beforeFinal) && UK_INWARD.test(final)) {
    taken = [beforeFinal, final];
  }
  if (taken === null) return null;
  last.splice(last.length - taken.length, taken.length);
  if (last.length === 0) segments.pop();
  return taken.join('').toUpperCase();
}

/**
 * Removes a state from the end of the last segment. A bare two-letter code is only read as a state where it cannot be
 * a street word ("12 Elm Ct" is Court, not Connecticut): after a postcode, or in a segment after the first comma.
 */
function takeState(segments: string[][], afterPostcode: boolean): string | null {
  const last = segments[segments.length - 1];
  if (!last || last.length === 0) return null;
  if (!afterPostcode && segments.length < 2) return null;
  for (let words = Math.min(MAX_STATE_WORDS, last.length); words >= 1; words--) {
    const candidate = last.slice(last.length - words).join(' ');
    const code = US_STATES.get(candidate) ?? (words === 1 && US_STATE_CODES.has(candidate) ? candidate : undefined);
    if (code !== undefined) {
      last.splice(last.length - words, words);
      if (last.length === 0) segments.pop();
      return code;
    }
  }
  return null;
}

function startsWithUnit(tokens: readonly string[]): boolean {
  const first = tokens[0];
  return first !== undefined && (UNIT_DESIGNATORS.has(first) || ATTACHED_UNIT.test(first));
}

function hasDigit(tokens: readonly string[]): boolean {
  return tokens.some((t) => /\d/.test(t));
}

/**
 * Where the city starts in a one-segment line "12 main st apt 4 springfield": after the first street-type word that
 * follows the house number and at least one name word (so "12 Park Ave" is not cut at "Park"), plus a trailing
 * directional and unit. An abbreviated directional ("NW") always belongs to the street; a spelled-out one only when
 * nothing follows, because "East Orange" and "North Las Vegas" are cities. -1 when the line gives no such clue.
 */
function cityStart(tokens: readonly string[]): number {
  let index = 0;
  while (index < tokens.length && UNIT_DESIGNATORS.has(tokens[index] as string)) index += 2;
  const boxAt = tokens.indexOf('box');
  if (boxAt >= 0 && tokens[boxAt + 1] !== undefined && /^\d/.test(tokens[boxAt + 1] as string)) return boxAt + 2;
  const numberAt = tokens.findIndex((t, i) => i >= index && (HOUSE_NUMBER.test(t) || UNIT_SLASH_NUMBER.test(t)));
  if (numberAt < 0) return -1;
  for (let i = numberAt + 2; i < tokens.length; i++) {
    if (!STREET_TYPES.has(tokens[i] as string)) continue;
    let end = i + 1;
    const next = tokens[end];
    const abbreviated = next !== undefined && DIRECTIONALS.get(next) === next;
    if (next !== undefined && DIRECTIONALS.has(next) && (abbreviated || end === tokens.length - 1)) end++;
    while (end < tokens.length - 1) {
      const token = tokens[end] as string;
      if (ATTACHED_UNIT.test(token)) end += 1;
      else if (UNIT_DESIGNATORS.has(token)) end += 2;
      else break;
    }
    return Math.min(end, tokens.length);
  }
  return -1;
}

function cityOf(tokens: readonly string[]): string | null {
  if (tokens.length === 0) return null;
  return tokens.map((t) => OTHER_ABBREVIATIONS.get(t) ?? t).join(' ');
}

/**
 * Parses a one-line US-style address: "12 Main Street Apt 4B, Springfield, IL 62704-1234",
 * "Apt 4 12 Main St Springfield IL 62704", "PO Box 12, Springfield, IL 62704". Parts it cannot find are null.
 */
export function parseAddressLine(line: string | null | undefined): PostalAddress {
  const text = cleanCell(line);
  if (text === null) return emptyAddress();
  const segments = segmentsOf(text);
  const rawPostcode = takePostcode(segments);
  const state = takeState(segments, rawPostcode !== null);
  const postcode = rawPostcode === null ? null : normalisePostcode(rawPostcode, state);

  let streetTokens: string[] = [];
  let cityTokens: string[] = [];
  if (segments.length >= 2) {
    const last = segments[segments.length - 1] as string[];
    const cityIsLast = !startsWithUnit(last) && !(hasDigit(last) && segments.length === 2 && rawPostcode === null);
    const streetSegments = cityIsLast ? segments.slice(0, -1) : segments;
    streetTokens = streetSegments.flat();
    cityTokens = cityIsLast ? last : [];
  } else if (segments.length === 1) {
    const tokens = segments[0] as string[];
    const start = cityStart(tokens);
    if (start >= 0) {
      streetTokens = tokens.slice(0, start);
      cityTokens = tokens.slice(start);
    } else if ((state !== null || postcode !== null) && !hasDigit(tokens)) {
      cityTokens = tokens;
    } else {
      streetTokens = tokens;
    }
  }
  const streetLine = parseStreetTokens(streetTokens);
  return { ...streetLine, city: cityOf(cityTokens), state, postcode };
}

/**
 * A US state as its two-letter code ("Illinois", "IL", "ill." is not guessed); other regions' values folded as written
 * ("Ontario" -> "ontario"). Null when empty.
 */
export function normaliseState(raw: string | null | undefined): string | null {
  return raw === undefined || raw === null ? null : stateOf(raw);
}

const stateOf = memoised((raw: string): string | null => {
  const text = cleanCell(raw);
  if (text === null) return null;
  const folded = tokensOf(text).join(' ');
  if (folded === '') return null;
  return US_STATES.get(folded) ?? folded;
});

function isUsState(state: string | null): boolean {
  return state !== null && US_STATE_CODES.has(state);
}

/**
 * Postcodes as upper-case alphanumerics without spaces; US ZIP+4 cut to the 5-digit ZIP. With a US state, a ZIP that
 * lost its leading zeros in a spreadsheet ("2134" for Boston's 02134) is padded back.
 */
export function normalisePostcode(raw: string | null | undefined, state: string | null = null): string | null {
  const text = cleanCell(raw);
  if (text === null) return null;
  const compact = foldCase(text).toUpperCase().replace(NON_ALPHANUMERIC_UPPER, '');
  if (compact === '') return null;
  if (/^\d{5}$|^\d{9}$/.test(compact)) return compact.slice(0, 5);
  if (isUsState(state)) {
    if (/^\d{3,4}$/.test(compact)) return compact.padStart(5, '0');
    if (/^\d{7,8}$/.test(compact)) return compact.padStart(9, '0').slice(0, 5);
  }
  return compact;
}

function normaliseCity(raw: string | null): string | null {
  return raw === null ? null : cityOfText(raw);
}

const cityOfText = memoised((raw: string) => cityOf(tokensOf(raw)));

/** A unit column or address line 2: the value without its designator ("Apt #4B" -> "4b"); null for other content. */
function unitFrom(raw: string | null, anyContent: boolean): string | null {
  if (raw === null) return null;
  const tokens = tokensOf(raw);
  if (tokens.length === 0) return null;
  const parsed = parseStreetTokens(tokens);
  if (parsed.unit !== null) return parsed.unit;
  if (anyContent) return tokens.map(unitValue).join(' ');
  // Line 2 also holds "c/o ..." and building names; only a short code is taken as a unit.
  if (tokens.length === 1 && (tokens[0] as string).length <= 6 && /\d/.test(tokens[0] as string)) {
    return unitValue(tokens[0] as string);
  }
  return null;
}

/**
 * Normalises split address columns. `number` + `street` win over `line1`; `line1` alone may hold a whole one-line
 * address when no city, state or postcode column exists.
 */
export function normaliseAddress(parts: AddressParts): PostalAddress {
  const line1 = cleanCell(parts.line1);
  const line2 = cleanCell(parts.line2);
  const number = cleanCell(parts.number);
  const street = cleanCell(parts.street);
  const unit = cleanCell(parts.unit);
  const city = cleanCell(parts.city);
  const state = normaliseState(parts.state);

  let result: PostalAddress;
  if (number !== null || street !== null) {
    const streetLine = parseStreetTokens(tokensOf(`${number ?? ''} ${street ?? ''}`));
    result = { ...streetLine, city: null, state: null, postcode: null };
  } else if (line1 !== null && city === null && state === null && cleanCell(parts.postcode) === null) {
    result = parseAddressLine(line1);
  } else if (line1 !== null) {
    result = { ...parseStreetTokens(tokensOf(line1)), city: null, state: null, postcode: null };
  } else {
    result = emptyAddress();
  }

  const explicitUnit = unitFrom(unit, true) ?? unitFrom(line2, false);
  if (explicitUnit !== null) result.unit = result.unit ?? explicitUnit;
  if (line2 !== null && result.street === null) {
    const fromLine2 = parseStreetTokens(tokensOf(line2));
    if (fromLine2.street === 'po box') {
      result.street = fromLine2.street;
      result.number = result.number ?? fromLine2.number;
    }
  }
  if (city !== null) result.city = normaliseCity(city);
  if (state !== null) result.state = state;
  const postcode = normalisePostcode(parts.postcode, result.state);
  if (postcode !== null) result.postcode = postcode;
  return result;
}
