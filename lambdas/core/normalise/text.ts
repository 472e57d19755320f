/**
 * Text folding shared by every normaliser. Matching compares folded text only, so "José", "JOSE" and "jose" meet;
 * display forms are produced separately (titleCaseIfUniform) and never folded.
 *
 * Hot path: these run several times per field on millions of rows, so regexes are compiled once and pure-ASCII input
 * skips Unicode normalisation entirely.
 */

const NON_ASCII = /[^\x00-\x7f]/;
const COMBINING_MARKS = /\p{M}+/gu;
/** Letters that NFKD leaves whole because they are letters of their own, not a base letter plus an accent. */
const UNDECOMPOSABLE: Readonly<Record<string, string>> = {
  ß: 'ss',
  ẞ: 'SS',
  æ: 'ae',
  Æ: 'AE',
  œ: 'oe',
  Œ: 'OE',
  ø: 'o',
  Ø: 'O',
  đ: 'd',
  Đ: 'D',
  ð: 'd',
  Ð: 'D',
  þ: 'th',
  Þ: 'Th',
  ł: 'l',
  Ł: 'L',
  ı: 'i',
  ħ: 'h',
  Ħ: 'H',
  ŋ: 'n',
  Ŋ: 'N',
  ĸ: 'k',
};
const UNDECOMPOSABLE_PATTERN = /[ßẞæÆœŒøØđĐðÐþÞłŁıħĦŋŊĸ]/g;
/** Zero-width spaces, joiners, soft hyphens and BOMs that survive copy-paste from web forms: removed outright. */
const FORMAT_CHARACTERS = /\p{Cf}/gu;
/** Control characters other than the whitespace ones: treated as a separator. */
const CONTROL_CHARACTERS = /[\x00-\x08\x0e-\x1f\x7f-\x9f]/g;
const NEEDS_CLEANING = /[^\x09-\x0d\x20-\x7e]/;
const WHITESPACE_RUN = /\s+/g;
/** Apostrophes vanish rather than split: "O'Neill" is one word, "oneill". */
const APOSTROPHES = /['\u2018\u2019\u201b\u02bc\u0060\u00b4\u2032]/g;
const NON_ALPHANUMERIC_RUN = /[^a-z0-9]+/g;
const NON_LETTERS = /[^a-z]/g;

/** "José Ørsted-Æbelø" -> "Jose Orsted-Aebelo". Case is kept. */
export function stripAccents(text: string): string {
  if (!NON_ASCII.test(text)) return text;
  return text
    .normalize('NFKD')
    .replace(COMBINING_MARKS, '')
    .replace(UNDECOMPOSABLE_PATTERN, (char) => UNDECOMPOSABLE[char] ?? char);
}

/** Lower case after accent folding, so the result is plain ASCII letters wherever the input was Latin script. */
export function foldCase(text: string): string {
  return stripAccents(text).toLowerCase();
}

/** Trims and turns every run of whitespace (tabs, newlines, non-breaking spaces) into one space; drops invisibles. */
export function collapseWhitespace(text: string): string {
  // Most cells are already clean: a scan is cheaper than the three regular expressions (measured in ingest).
  if (isCollapsed(text)) return text;
  const visible = NEEDS_CLEANING.test(text)
    ? text.replace(FORMAT_CHARACTERS, '').replace(CONTROL_CHARACTERS, ' ')
    : text;
  return visible.replace(WHITESPACE_RUN, ' ').trim();
}

/** True when collapseWhitespace has nothing to do: printable ASCII, no space at either end, none doubled. */
function isCollapsed(text: string): boolean {
  const last = text.length - 1;
  if (last >= 0 && (text.charCodeAt(0) === 32 || text.charCodeAt(last) === 32)) return false;
  let previousSpace = false;
  for (let i = 0; i <= last; i++) {
    const code = text.charCodeAt(i);
    if (code === 32) {
      if (previousSpace) return false;
      previousSpace = true;
    } else if (code < 33 || code > 126) return false;
    else previousSpace = false;
  }
  return true;
}

/**
 * Comparison form of free text: accents folded, lower case, apostrophes removed, every other punctuation or symbol
 * run turned into one space. "  O’Brien-Smith, Jr. " -> "obrien smith jr". Non-Latin letters are removed, so a value
 * written only in another script becomes "" (callers treat that as missing).
 */
export function normaliseText(text: string): string {
  return foldCase(text).replace(APOSTROPHES, '').replace(NON_ALPHANUMERIC_RUN, ' ').trim();
}

/** Letters a-z only: the key form for dictionary look-ups ("K.C." -> "kc", "Mary-Jane" -> "maryjane"). */
export function letterKey(text: string): string {
  return foldCase(text).replace(NON_LETTERS, '');
}

/** True for undefined, null, "" and whitespace-only strings. */
export function isBlank(value: string | null | undefined): boolean {
  return value === undefined || value === null || collapseWhitespace(value) === '';
}

/**
 * Spellings of "no value" that database exports write into cells. Deliberately excludes words that are also real
 * names or codes ("Na" is a Korean surname, "Nan" a given name, "None" and "NA" are handled per field where safe).
 */
const NULL_TOKENS: ReadonlySet<string> = new Set([
  'null', '(null)', '<null>', 'n/a', '#n/a', 'undefined', '-', '--', '?',
]);

/** True for blank cells and for cells holding an export's spelling of null ("NULL", "N/A", "#N/A", "-"). */
export function isMissing(value: string | null | undefined): boolean {
  return cleanCell(value) === null;
}

/** The trimmed, whitespace-collapsed value, or null when the cell is missing (see isMissing). */
export function cleanCell(value: string | null | undefined): string | null {
  if (value === undefined || value === null) return null;
  const collapsed = collapseWhitespace(value);
  if (collapsed === '' || NULL_TOKENS.has(collapsed.toLowerCase())) return null;
  return collapsed;
}

const HAS_UPPER = /\p{Lu}/u;
const HAS_LOWER = /\p{Ll}/u;
/** Word starts: first letter, and letters after a space, hyphen or apostrophe ("o'neill-smith" -> "O'Neill-Smith"). */
const WORD_START = /(^|[\s\-'\u2019(])(\p{Ll})/gu;
/** "Mcdonald" -> "McDonald": Mc is always followed by a capital; Mac is not ("Mack", "Macy"), so it is left alone. */
const MC_PREFIX = /(^|[\s\-])Mc(\p{Ll})/gu;

/**
 * Display form: the source's own spelling unless it is entirely upper or entirely lower case, which says nothing
 * about the intended capitals, in which case it is title-cased ("O'NEILL" -> "O'Neill", "josé" -> "José").
 * Mixed case ("McDonald", "van der Berg") is trusted as written. Whitespace is collapsed.
 */
export function titleCaseIfUniform(text: string): string {
  const collapsed = collapseWhitespace(text);
  const hasUpper = HAS_UPPER.test(collapsed);
  const hasLower = HAS_LOWER.test(collapsed);
  if (hasUpper && hasLower) return collapsed;
  return collapsed
    .toLowerCase()
    .replace(WORD_START, (_match, before: string, letter: string) => before + letter.toUpperCase())
    .replace(MC_PREFIX, (_match, before: string, letter: string) => `${before}Mc${letter.toUpperCase()}`);
}
