/**
 * The true persons behind the exports: who they are (legal name, the name they use, birth date) and how to reach
 * them (address, emails, phones). Nothing here is noisy; noise is added when a company writes a record.
 */
import { addYears, ymdFromDay, type Day } from './dates';
import { givenNames, type GivenName, type Sex } from './names';
import type { HardCaseKind, NoiseRates } from './options';
import { CITY_TABLE, DIRECTIONS, EMAIL_DOMAINS, STREET_NAMES, STREET_SUFFIXES, WORK_DOMAINS, type City } from './places';
import { stripAccents } from './noise';
import type { Rng } from './random';
import { SURNAMES } from './surnames';

export interface Address {
  number: string;
  /** Directional prefix as [full, abbreviation], e.g. ["North", "N"]. */
  direction: readonly [string, string] | null;
  street: string;
  suffix: readonly [string, string];
  /** Unit designator and id, e.g. ["Apt", "4B"]. */
  unit: readonly [string, string] | null;
  city: City;
  zip: string;
}

export interface Person {
  /** 0-based position in the population; also orders persons.csv. */
  index: number;
  id: string;
  sex: Sex;
  legalFirst: string;
  middle: string | null;
  last: string;
  /** Generational suffix as the person writes it in full: "Jr.", "Sr.", "II", "III". */
  suffix: string | null;
  /** The name the person goes by when it differs from the legal first name ("Bob"). */
  nickname: string | null;
  dob: Day;
  address: Address;
  /** Where the person lived before; older records show it. */
  previousAddress: Address | null;
  /** Distinct mailboxes, canonical lower-case spelling; the first is the main one. Empty: no email. */
  emails: string[];
  /** 10-digit US numbers. */
  mobile: string | null;
  previousMobile: string | null;
  /** Landline, shared by everybody in the household. */
  home: string | null;
  hardCase: HardCaseKind | 'none';
  /** Group id shared by the members of one hard case ("" when none). */
  hardGroup: string;
}

/** Mailbox identity as a strict linker would see it: case, "+tags" and dots ignored for every provider. */
export function mailboxKey(email: string): string {
  const lower = email.toLowerCase();
  const at = lower.indexOf('@');
  const local = lower.slice(0, at).replace(/\+.*$/, '').replace(/\./g, '');
  return `${local}@${lower.slice(at + 1)}`;
}

/** Two independent 32-bit string hashes packed into one exact double (32 + 21 bits). */
function fingerprint(text: string): number {
  let h1 = 0x811c9dc5;
  let h2 = 0x9747b28c;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    h1 = Math.imul(h1 ^ c, 0x01000193);
    h2 = Math.imul(h2 ^ c, 0x5bd1e995);
    h2 ^= h2 >>> 15;
  }
  return (h1 >>> 0) * 2097152 + ((h2 >>> 0) & 0x1fffff);
}

function slug(text: string): string {
  return stripAccents(text).toLowerCase().replace(/[^a-z0-9]/g, '');
}

/**
 * Uniqueness registries shared by everyone who creates persons (population and campaign prospects), so two
 * different people never get the same mailbox or phone number unless a hard case wants exactly that.
 */
export class ContactRegistry {
  /**
   * 53-bit fingerprints of mailbox keys rather than the keys: a million-person run would otherwise keep ~200 MB of
   * strings alive. A fingerprint collision only makes a new address look taken, and the caller then draws another,
   * so uniqueness still holds.
   */
  private readonly mailboxes = new Set<number>();
  private readonly phones = new Set<number>();

  claimEmail(email: string): boolean {
    const key = fingerprint(mailboxKey(email));
    if (this.mailboxes.has(key)) return false;
    this.mailboxes.add(key);
    return true;
  }

  claimPhone(digits: string): boolean {
    const value = Number(digits);
    if (this.phones.has(value)) return false;
    this.phones.add(value);
    return true;
  }
}

export interface IdentityOverrides {
  sex?: Sex;
  given?: GivenName;
  last?: string;
  dob?: Day;
  city?: City;
}

/** Creates persons and their contact data from one random stream. */
export class PersonFactory {
  constructor(
    private readonly rng: Rng,
    private readonly registry: ContactRegistry,
    private readonly asOfDay: Day,
    private readonly noise: NoiseRates,
  ) {}

  sex(): Sex {
    return this.rng.chance(0.51) ? 'F' : 'M';
  }

  given(sex: Sex): GivenName {
    return givenNames(sex).pick(this.rng);
  }

  /** A surname; 3% of women carry a hyphenated double surname. */
  surname(sex: Sex): string {
    const first = SURNAMES.pick(this.rng);
    if (sex === 'F' && this.rng.chance(0.03)) {
      const second = SURNAMES.pick(this.rng);
      if (second !== first && !first.includes(' ') && !second.includes(' ')) return `${first}-${second}`;
    }
    return first;
  }

  /** Adult ages 18-94, flat to 65 then thinning out, like a subscriber base. */
  dob(minAge = 18, maxAge = 94): Day {
    let age = this.rng.int(minAge, maxAge);
    if (age > 65 && this.rng.chance(0.5)) age = this.rng.int(minAge, Math.min(65, maxAge));
    const birthday = addYears(this.asOfDay, -age);
    return birthday - this.rng.int(1, 364);
  }

  middle(sex: Sex, first: string): string | null {
    if (this.rng.chance(0.12)) return null;
    for (;;) {
      // A minority carry a family surname as middle name ("John Fitzgerald Kennedy").
      const middle = this.rng.chance(0.1) ? (SURNAMES.pick(this.rng).split(' ')[0] as string) : givenNames(sex).pick(this.rng).name;
      if (middle !== first) return middle;
    }
  }

  nickname(given: GivenName): string | null {
    if (given.nicknames.length === 0 || !this.rng.chance(this.noise.nickname)) return null;
    return this.rng.pick(given.nicknames);
  }

  address(city: City = CITY_TABLE.pick(this.rng)): Address {
    const size = this.rng.next();
    const number = size < 0.6 ? this.rng.int(1, 999) : size < 0.95 ? this.rng.int(1000, 9999) : this.rng.int(10000, 39999);
    let unit: readonly [string, string] | null = null;
    if (this.rng.chance(0.25)) {
      const id = String(this.rng.int(1, 40)) + (this.rng.chance(0.3) ? this.rng.pick(['A', 'B', 'C', 'D']) : '');
      const kind = this.rng.next();
      unit = [kind < 0.8 ? 'Apt' : kind < 0.97 ? 'Unit' : 'Suite', id];
    }
    return {
      number: String(number),
      direction: this.rng.chance(0.1) ? this.rng.pick(DIRECTIONS) : null,
      street: this.rng.pick(STREET_NAMES),
      suffix: STREET_SUFFIXES.pick(this.rng),
      unit,
      city,
      zip: city.zip3 + String(this.rng.int(0, 99)).padStart(2, '0'),
    };
  }

  /** A new number in the city's area codes; exchanges avoid N11 and 555 so numbers look valid. */
  phone(city: City): string {
    for (;;) {
      const area = this.rng.pick(city.areaCodes);
      const exchange = this.rng.int(200, 999);
      if (exchange % 100 === 11 || exchange === 555) continue;
      const digits = `${area}${exchange}${String(this.rng.int(0, 9999)).padStart(4, '0')}`;
      if (this.registry.claimPhone(digits)) return digits;
    }
  }

  /** A new mailbox built the way people build them: from their names, birth year and a provider. */
  email(first: string, last: string, dob: Day, work = false): string {
    const f = slug(first) || 'user';
    const l = slug(last) || 'mail';
    const year = String(ymdFromDay(dob)[0]);
    const patterns = [
      `${f}.${l}`, `${f}${l}`, `${f.charAt(0)}${l}`, `${f}_${l}`, `${f}.${l}${year.slice(2)}`, `${l}${f.charAt(0)}`,
      `${f}${year}`, `${f.charAt(0)}.${l}`, `${f}${l.charAt(0)}`,
    ];
    const domain = work ? this.rng.pick(WORK_DOMAINS) : EMAIL_DOMAINS.pick(this.rng);
    let local = work ? `${f}.${l}` : this.rng.pick(patterns);
    for (let attempt = 0; ; attempt++) {
      // Gmail accepts only letters, digits and dots in a username.
      const candidate = `${domain === 'gmail.com' ? local.replace(/_/g, '.') : local}@${domain}`;
      if (this.registry.claimEmail(candidate)) return candidate;
      // Taken: do what the person would do at sign-up and add digits.
      local = `${work ? `${f}.${l}` : this.rng.pick(patterns)}${this.rng.int(1, attempt < 5 ? 99 : 99999)}`;
    }
  }

  /** Claims a specific mailbox (shared family addresses); false when someone already has it. */
  claimEmail(email: string): boolean {
    return this.registry.claimEmail(email);
  }

  /** A complete person; overrides pin what a hard case needs to share. */
  person(index: number, overrides: IdentityOverrides = {}): Person {
    const sex = overrides.sex ?? overrides.given?.sex ?? this.sex();
    const given = overrides.given ?? this.given(sex);
    const last = overrides.last ?? this.surname(sex);
    const dob = overrides.dob ?? this.dob();
    const address = this.address(overrides.city);
    const nickname = this.nickname(given);
    const emails: string[] = [];
    if (!this.rng.chance(0.04)) {
      // Nickname users often built their address from the nickname ("bob.smith@").
      emails.push(this.email(nickname && this.rng.chance(0.5) ? nickname : given.name, last, dob));
      if (this.rng.chance(0.25)) emails.push(this.email(given.name, last, dob, this.rng.chance(0.4)));
    }
    const mobile = this.rng.chance(0.95) ? this.phone(address.city) : null;
    return {
      index,
      id: personId(index),
      sex,
      legalFirst: given.name,
      middle: this.middle(sex, given.name),
      last,
      suffix: this.rng.chance(0.015) && sex === 'M' ? this.rng.pick(['Jr.', 'II', 'III']) : null,
      nickname,
      dob,
      address,
      previousAddress: this.rng.chance(this.noise.moved) ? this.address(this.rng.chance(0.7) ? address.city : undefined) : null,
      emails,
      mobile,
      previousMobile: mobile && this.rng.chance(this.noise.changedMobile) ? this.phone(address.city) : null,
      home: this.rng.chance(0.3) ? this.phone(address.city) : null,
      hardCase: 'none',
      hardGroup: '',
    };
  }
}

export function personId(index: number): string {
  return `P${String(index + 1).padStart(7, '0')}`;
}
