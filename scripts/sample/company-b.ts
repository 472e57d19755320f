/**
 * Company B, Skyline Satellite TV: a billing system with one free-text name field ("LAST, First M." from the
 * call centre, "First Middle Last" from the web shop, honorifics typed by agents), a one-line service address,
 * ISO birth dates, European-style DD.MM.YYYY open dates, Open/Closed status, "|"-separated plans and a
 * do-not-email flag written 1/0 by the current system and true/false by the migrated one. Windows line endings.
 */
import type { Account } from './accounts';
import { csvLine } from './csv';
import { IdPermutation } from './ids';
import { dayFromYmd, formatDotted, formatIso } from './dates';
import { HONORIFICS } from './names';
import { applyCase, formatPhone, type PhoneStyle } from './noise';
import type { Person } from './people';
import { WeightedTable } from './random';
import {
  maybePhoneTypo,
  recordAddress,
  streetLine,
  writtenEmail,
  writtenMobile,
  writtenName,
  writtenZip,
  type RowContext,
} from './record-fields';

export const SATELLITE_SOURCE = 'satellite';
export const SATELLITE_COMPANY = 'B';
export const SATELLITE_FILE = 'satellite.csv';
export const SATELLITE_EOL = '\r\n';

export const SATELLITE_HEADER: readonly string[] = [
  'account_no', 'full_name', 'contact_email', 'phone', 'service_address', 'dob', 'opened_on', 'last_login',
  'account_status', 'plans', 'do_not_email',
];

/** Customers typed their own numbers on the web shop, so every layout occurs. */
const PHONE_STYLES = new WeightedTable<PhoneStyle>(
  ['parens', 'dots', 'intl-spaces', 'dashes', 'one-dashes', 'spaces', 'plain', 'e164'],
  [30, 20, 15, 15, 5, 5, 5, 5],
);

/** Accounts opened before this day came from the previous billing system. */
const MIGRATION_DAY = dayFromYmd(2012, 1, 1);

/** "account_no" is SK + 8 digits, drawn without repetition from a seeded permutation. */
export function satelliteIds(seed: number): (row: number) => string {
  const permutation = new IdPermutation(8, seed, SATELLITE_SOURCE);
  return (row) => `SK${permutation.id(row)}`;
}

function fullName(person: Person, account: Account, ctx: RowContext): string {
  const { rng, noise } = ctx;
  const name = writtenName(person, account, ctx, noise.satelliteStripsAccents);
  const suffix = name.suffix === '' ? '' : ` ${name.suffix}`;
  if (rng.chance(noise.lastCommaFirst)) {
    // Call-centre format; half the agents type the surname in capitals.
    const last = rng.chance(0.5) ? applyCase(name.last, 'upper') : name.last;
    const middle = name.middle === '' ? '' : ` ${name.middle.length > 2 ? `${name.middle.charAt(0)}.` : name.middle}`;
    return `${last}, ${name.first}${middle}${suffix}`;
  }
  const honorific = rng.chance(noise.honorific) ? `${rng.pick(HONORIFICS[person.sex])} ` : '';
  const middle = name.middle === '' ? '' : ` ${name.middle}`;
  return `${honorific}${name.first}${middle} ${name.last}${suffix}`;
}

function serviceAddress(person: Person, account: Account, ctx: RowContext): string {
  const address = recordAddress(person, account);
  if (address !== person.address) ctx.counters.previousAddressRecords++;
  let unit = '';
  if (address.unit !== null) {
    const [kind, id] = address.unit;
    unit = kind === 'Apt' && ctx.rng.chance(0.3) ? ` #${id}` : ` ${kind} ${id}`;
  }
  return `${streetLine(address, ctx, 0.3)}${unit}, ${address.city.name}, ${address.city.state} ${writtenZip(address, ctx)}`;
}

function phone(person: Person, account: Account, ctx: RowContext): string {
  const { rng, noise, counters } = ctx;
  const mobile = writtenMobile(person, account, ctx);
  const home = person.home === null ? '' : maybePhoneTypo(person.home, ctx);
  let digits = mobile !== '' && (home === '' || rng.chance(0.8)) ? mobile : home;
  if (rng.chance(noise.missingPhone)) digits = '';
  if (digits === '') {
    counters.missingPhones++;
    return '';
  }
  return formatPhone(digits, PHONE_STYLES.pick(rng));
}

/** Everything after account_no, as CSV text. */
export function satelliteRowTail(person: Person, account: Account, ctx: RowContext): string {
  const { rng, noise, counters } = ctx;
  let dob = formatIso(person.dob);
  if (rng.chance(noise.placeholderDob)) {
    counters.missingDobs++;
    dob = '1900-01-01';
  } else if (rng.chance(noise.missingDob)) {
    counters.missingDobs++;
    dob = '';
  } else if (rng.chance(noise.dobDayMonthSwap)) {
    const [year, month, day] = dob.split('-') as [string, string, string];
    if (Number(day) <= 12) dob = `${year}-${day}-${month}`;
  }
  let consent = '';
  if (!account.consentBlank) {
    // Accounts migrated from the previous billing system (opened before 2012) still carry true/false.
    const legacy = account.since < MIGRATION_DAY;
    consent = legacy ? String(account.optedOut) : account.optedOut ? '1' : '0';
  }
  return csvLine([
    fullName(person, account, ctx),
    writtenEmail(person, ctx, noise.missingEmail * 1.4),
    phone(person, account, ctx),
    serviceAddress(person, account, ctx),
    dob,
    formatDotted(account.since),
    formatIso(account.lastActivity),
    account.ended ? 'Closed' : 'Open',
    account.products.join('|'),
    consent,
  ]);
}
