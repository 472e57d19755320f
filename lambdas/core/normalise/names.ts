/**
 * Person names: from whatever columns a source has (split fields or one full-name column) to a PersonName whose
 * matching fields are folded ("José O'Neill-Smith" -> first "jose", last "oneill smith") and whose display fields keep
 * the source's spelling. Honorifics and post-nominals are dropped; generational suffixes are kept apart because they
 * are what tells a father from a son at the same address.
 */
import type { PersonName } from '../model/record';
import { canonicalFirstName } from './nicknames';
import { cleanCell, collapseWhitespace, normaliseText, titleCaseIfUniform } from './text';

export interface PersonNameInput {
  first?: string | null;
  middle?: string | null;
  last?: string | null;
  /** One column holding the whole name: "First Middle Last", "LAST, First M.", with honorifics and suffixes. */
  full?: string | null;
  suffix?: string | null;
}

/** Keys are the token with accents, case and punctuation removed ("Mrs." -> "mrs"). */
const HONORIFICS: ReadonlySet<string> = new Set([
  'mr', 'mrs', 'ms', 'miss', 'mx', 'mister', 'master', 'messrs', 'mmes', 'dr', 'doctor', 'prof', 'professor', 'rev',
  'revd', 'reverend', 'fr', 'father', 'pastor', 'rabbi', 'sir', 'dame', 'lady', 'lord', 'hon', 'honorable',
  'honourable', 'capt', 'captain', 'col', 'colonel', 'lt', 'lieutenant', 'sgt', 'sergeant', 'cpl', 'adm', 'admiral',
  'cmdr', 'commander', 'mme', 'mlle', 'herr', 'frau', 'sra', 'srta',
]);

const GENERATIONAL_SUFFIXES: ReadonlyMap<string, string> = new Map([
  ['jr', 'jr'], ['jnr', 'jr'], ['junior', 'jr'],
  ['sr', 'sr'], ['snr', 'sr'], ['senior', 'sr'],
  ['ii', 'ii'], ['2nd', 'ii'],
  ['iii', 'iii'], ['3rd', 'iii'],
  ['iv', 'iv'], ['4th', 'iv'],
]);

/**
 * Degrees and honours written after a name. Dropped, never treated as a surname. Two-letter words that are also
 * surnames ("Ma", "Do", "Ba") are deliberately absent.
 */
const POST_NOMINALS: ReadonlySet<string> = new Set([
  'phd', 'md', 'dds', 'dmd', 'dvm', 'esq', 'esquire', 'cpa', 'rn', 'mba', 'jd', 'llb', 'llm', 'msc', 'bsc', 'mp',
  'obe', 'mbe', 'cbe', 'kbe', 'qc', 'kc', 'ret', 'usn', 'usmc', 'pe', 'pmp', 'cfa', 'facs', 'facp', 'rph',
]);

/** Words that start a multi-part surname: "Ludwig van Beethoven" has surname "van beethoven". */
const SURNAME_PARTICLES: ReadonlySet<string> = new Set([
  'van', 'von', 'der', 'den', 'de', 'del', 'della', 'dela', 'des', 'di', 'da', 'das', 'dos', 'du', 'la', 'le', 'st',
  'ste', 'saint', 'bin', 'ibn', 'al', 'el', 'ten', 'ter', 'vander', 'vande', 'mc', 'mac', 'o',
]);

/** Prefixes written as a separate word by some systems but part of one surname: "Mc Donald" = "McDonald". */
const ATTACHED_PREFIXES: ReadonlySet<string> = new Set(['mc', 'mac', 'o']);

const INITIALS_RUN = /^(?:\p{L}\.){2,}$/u;
const SPLIT_AFTER_DOT = /(?<=\.)/u;
const SINGLE_LETTER = /^\p{L}\.?$/u;
const SPACES = / /g;
const COMMAS = /,/g;

interface Token {
  /** As written (trimmed), for display. */
  readonly raw: string;
  /** Comparison form: folded, apostrophes removed, other punctuation as spaces ("Smith-Jones" -> "smith jones"). */
  readonly text: string;
  /** Classification key: the comparison form without spaces ("Ph.D." -> "phd"). */
  readonly key: string;
}

function toToken(raw: string): Token {
  const text = normaliseText(raw);
  return { raw, text, key: text.replace(SPACES, '') };
}

/**
 * Whitespace tokens, without tokens that are pure punctuation ("&", "-"). Commas separate too: in a single field
 * ("Smith, Jr.") they only ever set off a suffix; full names are split on commas before they get here.
 */
function tokenize(value: string): Token[] {
  const tokens: Token[] = [];
  for (const raw of collapseWhitespace(value.replace(COMMAS, ' ')).split(' ')) {
    if (raw === '') continue;
    const token = toToken(raw);
    if (token.key !== '') tokens.push(token);
  }
  return tokens;
}

/** "J.R.R." -> "J.", "R.", "R." (run after post-nominals are gone, so "M.D." is never read as initials). */
function expandInitials(tokens: readonly Token[]): Token[] {
  const result: Token[] = [];
  for (const token of tokens) {
    if (INITIALS_RUN.test(token.raw)) for (const part of token.raw.split(SPLIT_AFTER_DOT)) result.push(toToken(part));
    else result.push(token);
  }
  return result;
}

function suffixOf(token: Token): string | null {
  return GENERATIONAL_SUFFIXES.get(token.key) ?? null;
}

function isInitial(token: Token): boolean {
  return SINGLE_LETTER.test(token.raw);
}

/** Removes leading honorifics; keeps the last token when everything is an honorific only if `keepOne`. */
function dropHonorifics(tokens: Token[], keepOne: boolean): Token[] {
  let start = 0;
  while (start < tokens.length && HONORIFICS.has((tokens[start] as Token).key)) start++;
  if (start === tokens.length && keepOne) start = tokens.length - 1;
  return start === 0 ? tokens : tokens.slice(start);
}

/**
 * Removes trailing generational suffixes (reported through `found`) and post-nominals. A lone post-nominal-looking
 * token is kept: it is more likely a name than a degree with no name.
 */
function dropTrailing(tokens: Token[], found: { suffix: string | null }): Token[] {
  let end = tokens.length;
  while (end > 0) {
    const token = tokens[end - 1] as Token;
    const suffix = suffixOf(token);
    if (suffix !== null) {
      found.suffix ??= suffix;
      end--;
    } else if (POST_NOMINALS.has(token.key) && end > 1) {
      end--;
    } else break;
  }
  return end === tokens.length ? tokens : tokens.slice(0, end);
}

interface NameParts {
  first: Token[];
  middle: Token[];
  last: Token[];
}

/** "First Middle Last" order; surname particles before the last word join the surname. */
function splitGivenOrder(tokens: Token[]): NameParts {
  if (tokens.length === 0) return { first: [], middle: [], last: [] };
  if (tokens.length === 1) return { first: tokens, middle: [], last: [] };
  let lastStart = tokens.length - 1;
  while (lastStart > 1 && SURNAME_PARTICLES.has((tokens[lastStart - 1] as Token).key)) lastStart--;
  return { first: tokens.slice(0, 1), middle: tokens.slice(1, lastStart), last: tokens.slice(lastStart) };
}

function isOnlySuffixes(tokens: readonly Token[]): boolean {
  return tokens.length > 0 && tokens.every((t) => suffixOf(t) !== null || POST_NOMINALS.has(t.key));
}

/** Parses one full-name value: "Dr. John Q. Smith Jr.", "SMITH, JOHN Q", "van der Berg, Jan", "Smith Jr., John". */
function parseFullName(value: string, found: { suffix: string | null }): NameParts {
  const parts: Token[][] = [];
  for (const piece of value.split(',')) {
    const tokens = tokenize(piece);
    if (tokens.length === 0) continue;
    if (isOnlySuffixes(tokens)) {
      dropTrailing(tokens, found);
      continue;
    }
    parts.push(tokens);
  }
  if (parts.length === 0) return { first: [], middle: [], last: [] };
  if (parts.length === 1) {
    const tokens = expandInitials(dropTrailing(dropHonorifics(parts[0] as Token[], true), found));
    return splitGivenOrder(tokens);
  }
  // "Last, Given...": anything after the first comma is the given part.
  const last = dropTrailing(dropHonorifics(parts[0] as Token[], true), found);
  const given = expandInitials(dropTrailing(dropHonorifics(parts.slice(1).flat(), true), found));
  return { first: given.slice(0, 1), middle: given.slice(1), last };
}

/** A first-name field: "Mr John", "John Q.", "Mary Ann" (kept whole: it may be a double given name). */
function parseFirstField(value: string, found: { suffix: string | null }): { first: Token[]; middle: Token[] } {
  const tokens = expandInitials(dropTrailing(dropHonorifics(tokenize(value), false), found));
  if (tokens.length > 1 && tokens.slice(1).every(isInitial)) {
    return { first: tokens.slice(0, 1), middle: tokens.slice(1) };
  }
  return { first: tokens, middle: [] };
}

function parseLastField(value: string, found: { suffix: string | null }): Token[] {
  return dropTrailing(dropHonorifics(tokenize(value), true), found);
}

function joinText(tokens: readonly Token[]): string | null {
  const text = tokens.map((t) => t.text).join(' ');
  return text === '' ? null : text;
}

/** Surname comparison form: parts joined by spaces; Mc/Mac/O fuse with the next part ("mc donald" -> "mcdonald"). */
function joinSurname(tokens: readonly Token[]): string | null {
  let result = '';
  let attach = false;
  for (const token of tokens) {
    result = result === '' || attach ? result + token.text : `${result} ${token.text}`;
    attach = ATTACHED_PREFIXES.has(token.key);
  }
  return result === '' ? null : result;
}

function joinDisplay(tokens: readonly Token[]): string | null {
  if (tokens.length === 0) return null;
  return titleCaseIfUniform(tokens.map((t) => t.raw).join(' '));
}

function parseSuffixField(value: string | null): string | null {
  if (value === null) return null;
  const tokens = tokenize(value);
  for (const token of tokens) {
    const suffix = suffixOf(token);
    if (suffix !== null) return suffix;
  }
  return null;
}

/**
 * Normalises a person's name from split fields or a full-name value. Split fields win when any of first/last holds
 * a value; the full name is parsed otherwise. Empty or whitespace-only values count as missing; a name with nothing
 * left gives all-null fields.
 */
export function normalisePersonName(input: PersonNameInput): PersonName {
  const first = cleanCell(input.first);
  const middle = cleanCell(input.middle);
  const last = cleanCell(input.last);
  const full = cleanCell(input.full);
  const found: { suffix: string | null } = { suffix: parseSuffixField(cleanCell(input.suffix)) };

  let parts: NameParts;
  if (first !== null || last !== null) {
    const given = first !== null ? parseFirstField(first, found) : { first: [], middle: [] };
    const middleTokens = middle !== null ? expandInitials(dropTrailing(tokenize(middle), found)) : [];
    parts = {
      first: given.first,
      middle: [...given.middle, ...middleTokens],
      last: last !== null ? parseLastField(last, found) : [],
    };
  } else if (full !== null) {
    parts = parseFullName(full, found);
  } else {
    parts = { first: [], middle: expandInitials(middle !== null ? tokenize(middle) : []), last: [] };
  }

  const firstText = joinText(parts.first);
  return {
    first: firstText,
    firstCanonical: firstText === null ? null : firstText.length === 1 ? firstText : canonicalFirstName(firstText),
    middle: joinText(parts.middle),
    last: joinSurname(parts.last),
    suffix: found.suffix,
    firstDisplay: joinDisplay(parts.first),
    lastDisplay: joinDisplay(parts.last),
  };
}

/**
 * Look-up key for "find a profile by name": canonical first name and surname, each without spaces
 * ("Bob van der Berg" -> "robert vanderberg"), so "Robert Vanderberg" typed in a search finds it. The surname alone
 * when there is no first name, the first name alone when there is no surname, null when there is neither.
 */
export function nameKey(name: PersonName): string | null {
  const first = (name.firstCanonical ?? name.first)?.replace(SPACES, '') || null;
  const last = name.last?.replace(SPACES, '') || null;
  if (first !== null && last !== null) return `${first} ${last}`;
  return last ?? first;
}
