/** Small text helpers shared by the profile modules. */

/** A value worth keeping: not null and not blank. Sources export missing values as empty strings as often as nulls. */
export function nonBlank(value: string | null | undefined): value is string {
  return value != null && value.trim() !== '';
}

/**
 * Compares by UTF-16 code units, never by locale: `localeCompare` depends on the runtime's ICU data, and the output
 * must be byte-identical wherever the run happens.
 */
export function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** "mary-jane o'neil" -> "Mary-Jane O'Neil": upper-cases the first letter of every word part. */
export function titleCase(value: string): string {
  return value.toLowerCase().replace(/(^|[\s\-'’])(\p{L})/gu, (_, separator: string, letter: string) => {
    return separator + letter.toUpperCase();
  });
}

/**
 * A given name fit for a greeting. Legacy systems often store names in capitals ("ROBERT") or lower case; those
 * are title-cased. Mixed case is kept as written, because it is deliberate ("DeShawn", "McKenzie").
 */
export function greetingForm(value: string): string {
  const trimmed = value.trim();
  const hasUpper = /\p{Lu}/u.test(trimmed);
  const hasLower = /\p{Ll}/u.test(trimmed);
  return hasUpper && hasLower ? trimmed : titleCase(trimmed);
}

export function uniqueSorted(values: Iterable<string>): string[] {
  return [...new Set(values)].sort(compareText);
}
