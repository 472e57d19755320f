/**
 * Phone numbers to E.164 with libphonenumber-js. The "max" metadata is used because validity is the point here: a
 * number with a mistyped, unassigned area code must not be matched as if it were real. Extensions are dropped (they
 * identify a desk, not a person). Failure reasons never contain the number.
 */
import { isSupportedCountry, parsePhoneNumberFromString, type CountryCode } from 'libphonenumber-js/max';

export type PhoneResult = { ok: true; e164: string } | { ok: false; reason: string };

/** "ext 12", "ext. 12", "extension 12", "x12", "#12" at the end of the value. */
const EXTENSION = /\s*(?:,|;)?\s*(?:ext\.?|extn\.?|extension|x|#)\s*\d{1,7}\s*$/i;
const LETTERS = /\p{L}/u;
const DIGITS = /\d/g;
/** European-style international prefix written in a country (like the US) whose own prefix is 011. */
const DOUBLE_ZERO_PREFIX = /^\s*\(?00\)?[\s.-]*(?=[1-9])/;
const PLUS_SIGNS = /^\s*[+\uff0b]/;

function fail(reason: string): PhoneResult {
  return { ok: false, reason: `invalid phone: ${reason}` };
}

/**
 * Normalises one phone number. `defaultRegion` (ISO 3166 alpha-2, e.g. "US") applies to numbers written without a
 * country code; an unknown region means only numbers with "+" or "00" can be read.
 */
export function normalisePhone(raw: string | null | undefined, defaultRegion: string): PhoneResult {
  if (raw === null || raw === undefined || raw.trim() === '') return fail('empty');
  let value = raw.trim().replace(EXTENSION, '');
  // Vanity numbers ("1-800-FLOWERS") are never a customer's own line; other letters mean free text ("call me").
  if (LETTERS.test(value)) return fail('contains letters');
  const digitCount = value.match(DIGITS)?.length ?? 0;
  if (digitCount === 0) return fail('no digits');
  if (digitCount < 7) return fail('too short');
  if (digitCount > 17) return fail('too long');
  if (!PLUS_SIGNS.test(value)) value = value.replace(DOUBLE_ZERO_PREFIX, '+');

  const region = defaultRegion.toUpperCase();
  const parsed = isSupportedCountry(region)
    ? parsePhoneNumberFromString(value, region as CountryCode)
    : parsePhoneNumberFromString(value);
  if (!parsed) {
    return fail(PLUS_SIGNS.test(value) ? 'unknown country code' : 'no country code and no usable default region');
  }
  if (!parsed.isValid()) return fail('not a valid number');
  return { ok: true, e164: parsed.number };
}
