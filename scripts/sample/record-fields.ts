/**
 * Field writers shared by the company exports and the campaign list: each turns a true value into what one
 * record shows (name as typed, email as given, address as entered), applying the configured noise.
 */
import type { Account } from './accounts';
import { applyCase, caseStyle, emailVariant, initial, phoneTypo, stripAccents, typo } from './noise';
import type { NoiseRates } from './options';
import type { Address, Person } from './people';
import type { Rng } from './random';

/** How often each kind of noise was applied; reported by the CLI and checked by tests. */
export interface NoiseCounters {
  nicknameRecords: number;
  accentsStripped: number;
  firstNameTypos: number;
  lastNameTypos: number;
  swappedNames: number;
  caseVariants: number;
  emailVariants: number;
  missingEmails: number;
  missingPhones: number;
  missingDobs: number;
  previousAddressRecords: number;
  previousMobileRecords: number;
  streetTypos: number;
}

export function emptyCounters(): NoiseCounters {
  return {
    nicknameRecords: 0,
    accentsStripped: 0,
    firstNameTypos: 0,
    lastNameTypos: 0,
    swappedNames: 0,
    caseVariants: 0,
    emailVariants: 0,
    missingEmails: 0,
    missingPhones: 0,
    missingDobs: 0,
    previousAddressRecords: 0,
    previousMobileRecords: 0,
    streetTypos: 0,
  };
}

export interface RowContext {
  rng: Rng;
  noise: NoiseRates;
  counters: NoiseCounters;
}

export interface WrittenName {
  first: string;
  /** Full middle name, an initial, or "" (not captured). */
  middle: string;
  last: string;
  /** Suffix as written ("Jr.", "JR", "II") or "" when the agent left it out. */
  suffix: string;
}

const SUFFIX_SPELLINGS: Readonly<Record<string, readonly string[]>> = {
  'Jr.': ['Jr.', 'Jr', 'JR'],
  'Sr.': ['Sr.', 'Sr', 'SR'],
  II: ['II'],
  III: ['III'],
};

/** What the record knows about its place among the person's records (an Account satisfies it). */
export interface NameView {
  newest: boolean;
  useNickname: boolean;
}

/**
 * The name as one record shows it. Typos in the first name and swapped name order never hit the person's newest
 * record: that record is where the name the person uses is read from, and the truth promises it is there.
 */
export function writtenName(person: Person, view: NameView, ctx: RowContext, stripRate: number): WrittenName {
  const { rng, noise, counters } = ctx;
  const { newest, useNickname } = view;
  let first = useNickname && person.nickname !== null ? person.nickname : person.legalFirst;
  if (useNickname && person.nickname !== null) counters.nicknameRecords++;
  let last = person.last;
  let middle = '';
  if (person.middle !== null) {
    const form = rng.next();
    middle = form < 0.45 ? person.middle : form < 0.75 ? initial(person.middle, rng.chance(0.6)) : '';
  }
  let suffix = '';
  if (person.suffix !== null && rng.chance(person.hardCase === 'jr-sr' ? 0.5 : 0.7)) {
    suffix = rng.pick(SUFFIX_SPELLINGS[person.suffix] ?? [person.suffix]);
  }
  if (rng.chance(stripRate)) {
    const before = first + middle + last;
    first = stripAccents(first);
    middle = stripAccents(middle);
    last = stripAccents(last);
    if (before !== first + middle + last) counters.accentsStripped++;
  }
  if (!newest && rng.chance(noise.firstNameTypo)) {
    first = typo(first, rng);
    counters.firstNameTypos++;
  }
  if (rng.chance(noise.lastNameTypo)) {
    last = typo(last, rng);
    counters.lastNameTypos++;
  }
  if (!newest && rng.chance(noise.swappedNames)) {
    [first, last] = [last, first];
    counters.swappedNames++;
  }
  const style = caseStyle(rng, noise.upperCaseName, noise.lowerCaseName);
  if (style !== 'as-is') {
    counters.caseVariants++;
    first = applyCase(first, style);
    middle = applyCase(middle, style);
    last = applyCase(last, style);
    suffix = applyCase(suffix, style);
  }
  return { first, middle, last, suffix };
}

/** One of the person's mailboxes as this record has it, or "" when not captured. */
export function writtenEmail(person: Person, ctx: RowContext, missingRate = ctx.noise.missingEmail): string {
  const { rng, noise, counters } = ctx;
  if (person.emails.length === 0 || rng.chance(missingRate)) {
    counters.missingEmails++;
    return '';
  }
  const chosen = person.emails.length > 1 && rng.chance(noise.secondaryEmailUsed) ? person.emails[1] : person.emails[0];
  const written = emailVariant(chosen as string, rng, {
    dots: noise.gmailDotVariant,
    plusTag: noise.gmailPlusTag,
    upper: noise.emailCase,
  });
  if (written !== chosen) counters.emailVariants++;
  return written;
}

/** The mobile number a record shows: the old one if the record predates the change; "" when not captured. */
export function writtenMobile(person: Person, account: Account | null, ctx: RowContext): string {
  const previous = account !== null && account.previousMobile && person.previousMobile !== null;
  if (previous) ctx.counters.previousMobileRecords++;
  const digits = previous ? person.previousMobile : person.mobile;
  return digits === null ? '' : maybePhoneTypo(digits, ctx);
}

export function maybePhoneTypo(digits: string, ctx: RowContext): string {
  return ctx.rng.chance(ctx.noise.phoneTypo) ? phoneTypo(digits, ctx.rng) : digits;
}

export function recordAddress(person: Person, account: Account): Address {
  if (account.previousAddress && person.previousAddress !== null) return person.previousAddress;
  return person.address;
}

/** "1234 N Oak St" or "1234 North Oak Street": one abbreviation habit per row. */
export function streetLine(address: Address, ctx: RowContext, abbreviateRate: number): string {
  const abbreviate = ctx.rng.chance(abbreviateRate);
  let street = address.street;
  if (ctx.rng.chance(ctx.noise.streetTypo)) {
    street = typo(street, ctx.rng);
    ctx.counters.streetTypos++;
  }
  const direction = address.direction === null ? '' : `${address.direction[abbreviate ? 1 : 0]} `;
  const suffix = address.suffix[abbreviate ? 1 : 0];
  return `${address.number} ${direction}${street} ${suffix}${abbreviate && ctx.rng.chance(0.2) ? '.' : ''}`;
}

/** ZIP, sometimes as ZIP+4 with a made-up but stable-looking add-on. */
export function writtenZip(address: Address, ctx: RowContext): string {
  if (ctx.rng.chance(ctx.noise.zipPlusFour)) return `${address.zip}-${String(ctx.rng.int(1, 9999)).padStart(4, '0')}`;
  return address.zip;
}
