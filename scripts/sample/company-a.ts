/**
 * Company A, Northwind Telecom: a split-field US CRM. Dates MM/DD/YYYY, status Active/Suspended/Cancelled,
 * products ";"-separated, consent as an opt-in flag Y/N. Its legacy screens are ASCII-only, so most rows lose
 * accents, and ZIPs went through a spreadsheet once (New England ZIPs lost their leading zero).
 */
import type { Account } from './accounts';
import { csvLine } from './csv';
import { IdPermutation } from './ids';
import { formatUs } from './dates';
import { applyCase, formatPhone, typo, type PhoneStyle } from './noise';
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

export const TELCO_SOURCE = 'telco';
export const TELCO_COMPANY = 'A';
export const TELCO_FILE = 'telco.csv';
/** Unix line endings: the export runs on a Linux batch host. */
export const TELCO_EOL = '\n';

export const TELCO_HEADER: readonly string[] = [
  'customer_id', 'first_name', 'middle_name', 'last_name', 'suffix', 'email', 'mobile_phone', 'home_phone',
  'street_address', 'apt', 'city', 'state', 'zip', 'birth_date', 'customer_since', 'last_activity', 'status',
  'products', 'email_opt_in',
];

/** The agent UI formats numbers as typed, mostly with dashes. */
const PHONE_STYLES = new WeightedTable<PhoneStyle>(['dashes', 'parens', 'plain', 'e164'], [70, 15, 10, 5]);

/** "customer_id" is NW + 8 digits, drawn without repetition from a seeded permutation. */
export function telcoIds(seed: number): (row: number) => string {
  const permutation = new IdPermutation(8, seed, TELCO_SOURCE);
  return (row) => `NW${permutation.id(row)}`;
}

function unitField(unit: readonly [string, string] | null, ctx: RowContext): string {
  if (unit === null) return '';
  const [kind, id] = unit;
  if (kind !== 'Apt') return `${kind} ${id}`;
  const form = ctx.rng.next();
  return form < 0.5 ? `Apt ${id}` : form < 0.75 ? id : `#${id}`;
}

/** Everything after customer_id, as CSV text; the id is prefixed once rows have their final order. */
export function telcoRowTail(person: Person, account: Account, ctx: RowContext): string {
  const { rng, noise, counters } = ctx;
  const name = writtenName(person, account, ctx, noise.telcoStripsAccents);
  const email = writtenEmail(person, ctx);

  const style = PHONE_STYLES.pick(rng);
  let mobile = writtenMobile(person, account, ctx);
  let home = person.home !== null && rng.chance(0.85) ? maybePhoneTypo(person.home, ctx) : '';
  if (rng.chance(noise.missingPhone)) {
    counters.missingPhones++;
    mobile = '';
    home = '';
  }

  const address = recordAddress(person, account);
  if (address !== person.address) counters.previousAddressRecords++;
  let city = address.city.name;
  if (rng.chance(0.01)) city = typo(city, rng);
  if (rng.chance(0.05)) city = applyCase(city, 'upper');
  let zip = writtenZip(address, ctx);
  if (zip.startsWith('0') && rng.chance(noise.zipLeadingZeroLost)) zip = zip.slice(1);

  let birthDate = '';
  if (rng.chance(noise.missingDob)) counters.missingDobs++;
  else birthDate = formatUs(person.dob);
  if (birthDate !== '' && rng.chance(noise.dobDayMonthSwap)) {
    const [month, day, year] = birthDate.split('/') as [string, string, string];
    if (Number(day) <= 12) birthDate = `${day}/${month}/${year}`;
  }

  const status = account.ended ? 'Cancelled' : account.suspended ? 'Suspended' : 'Active';
  const consent = account.consentBlank ? '' : account.optedOut ? 'N' : 'Y';
  return csvLine([
    name.first,
    name.middle,
    name.last,
    name.suffix,
    email,
    mobile === '' ? '' : formatPhone(mobile, style),
    home === '' ? '' : formatPhone(home, style),
    streetLine(address, ctx, 0.5),
    unitField(address.unit, ctx),
    city,
    address.city.state,
    zip,
    birthDate,
    formatUs(account.since),
    formatUs(account.lastActivity),
    status,
    // A later release of the export added a space after the separator; both forms are in the file.
    account.products.join(rng.chance(0.05) ? '; ' : ';'),
    consent,
  ]);
}
