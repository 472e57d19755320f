/**
 * Declared identifiers (national id, loyalty number) in comparison form: upper-case letters and digits only, so
 * "123-45-6789", "123 45 6789" and "123456789" are one value. Placeholders are dropped, because two records sharing
 * "000000000" or "N/A" must not look like the same person.
 */
import { foldCase } from './text';

const NON_ALPHANUMERIC = /[^A-Z0-9]/g;
/** Spellings of "no value" after folding; identifiers are codes, so words that are also names are no concern here. */
const PLACEHOLDERS: ReadonlySet<string> = new Set([
  'NA', 'NULL', 'NONE', 'NIL', 'NAN', 'UNKNOWN', 'UNDEFINED', 'TBD', 'TBA',
]);

/** True when every character is the same ("0000", "XXXXXX", "9"): filler, not an identifier. */
function isRepeatedCharacter(value: string): boolean {
  const first = value.charCodeAt(0);
  for (let i = 1; i < value.length; i++) if (value.charCodeAt(i) !== first) return false;
  return true;
}

/** Upper-case alphanumerics only, or null when nothing (or only a placeholder) remains. */
export function normaliseIdentifier(raw: string | null | undefined): string | null {
  if (raw === null || raw === undefined) return null;
  const value = foldCase(raw).toUpperCase().replace(NON_ALPHANUMERIC, '');
  if (value === '' || PLACEHOLDERS.has(value) || isRepeatedCharacter(value)) return null;
  return value;
}
