/**
 * The "switch to us" campaign list: a bought/compiled marketing list in a third schema (one name column, email,
 * phone, ZIP) that mixes existing customers of A, of B, of both, former customers, opted-out people and true
 * prospects who are in neither export. The merge must suppress customers and opted-out people and mail the rest.
 *
 * Population rows are picked by reservoir sampling per category while the population streams past, so the list
 * has its target mix without holding the population in memory; prospects are made at the end.
 */
import { csvLine } from './csv';
import { IdPermutation } from './ids';
import { givenByName, type GivenName } from './names';
import { formatPhone, type PhoneStyle } from './noise';
import { CAMPAIGN_CATEGORIES, type CampaignCategory, type ResolvedOptions } from './options';
import type { Person, PersonFactory } from './people';
import { CITY_TABLE, type City } from './places';
import { type Rng } from './random';
import { emptyCounters, maybePhoneTypo, writtenEmail, writtenName, writtenZip, type RowContext } from './record-fields';
import { campaignCategory, expectedAction, type CampaignTruthRow, type PersonTruth } from './truth';

export const CAMPAIGN_FILE = 'campaign.csv';
export const CAMPAIGN_HEADER: readonly string[] = ['lead_id', 'name', 'email', 'phone', 'zip', 'list_source'];

const LIST_SOURCES: readonly string[] = ['Web form', 'Trade show 2026', 'Partner referral', 'Acquired list Q3', 'Sweepstakes'];
const PHONE_STYLES: readonly PhoneStyle[] = ['dashes', 'parens', 'dots', 'plain', 'e164', 'intl-spaces'];
/** Share of prospects given the name of a population person (but another city, no shared contact data). */
const LOOKALIKE_SHARE = 0.15;
/** Population persons remembered as name donors for look-alike prospects. */
const DONOR_POOL = 2000;


export interface CampaignRow {
  /** Everything after lead_id, as CSV text. */
  tail: string;
  truth: CampaignTruthRow;
}

interface Reservoir {
  target: number;
  seen: number;
  items: CampaignRow[];
}

interface Donor {
  personId: string;
  given: GivenName;
  nickname: string | null;
  last: string;
  city: City;
}

export class CampaignBuilder {
  private readonly reservoirs: Record<CampaignCategory, Reservoir>;
  private readonly donors: Donor[] = [];
  private donorsSeen = 0;
  private readonly ctx: RowContext;

  constructor(
    options: ResolvedOptions,
    private readonly rng: Rng,
    private readonly seed: number,
    private readonly prospects: PersonFactory,
  ) {
    this.ctx = { rng, noise: options.noise, counters: emptyCounters() };
    const entries = CAMPAIGN_CATEGORIES.map((category): [CampaignCategory, Reservoir] => [
      category,
      { target: Math.round(options.campaignSize * options.campaignMix[category]), seen: 0, items: [] },
    ]);
    this.reservoirs = Object.fromEntries(entries) as Record<CampaignCategory, Reservoir>;
  }

  /** Offers one population person; kept with probability target / seen (Algorithm R). */
  offer(person: Person, truth: PersonTruth): void {
    this.rememberDonor(person);
    const category = campaignCategory(truth);
    const reservoir = this.reservoirs[category];
    const seen = reservoir.seen++;
    if (reservoir.target === 0) return;
    let slot = seen;
    if (seen >= reservoir.target) {
      slot = this.rng.int(0, seen);
      if (slot >= reservoir.target) return;
    }
    const row: CampaignRow = {
      tail: this.tail(person),
      truth: {
        leadId: '',
        personId: truth.personId,
        category,
        expectedAction: expectedAction(truth),
        customerA: truth.customerA,
        customerB: truth.customerB,
        optedOutAnywhere: truth.optedOutAnywhere,
        lookalikeOf: '',
      },
    };
    reservoir.items[slot] = row;
  }

  /** Adds the prospects, shuffles, assigns lead ids. */
  finish(): CampaignRow[] {
    const rows = CAMPAIGN_CATEGORIES.filter((category) => category !== 'prospect').flatMap(
      (category) => this.reservoirs[category].items,
    );
    const prospects = this.reservoirs.prospect.target;
    for (let i = 0; i < prospects; i++) rows.push(this.prospect(i));
    this.rng.shuffle(rows);
    // Lead ids: LD + 7 digits from a seeded permutation (unique, unrelated to row order).
    const ids = new IdPermutation(7, this.seed, 'campaign');
    rows.forEach((row, i) => {
      row.truth.leadId = `LD${ids.id(i)}`;
    });
    return rows;
  }

  private rememberDonor(person: Person): void {
    const seen = this.donorsSeen++;
    const slot = seen < DONOR_POOL ? seen : this.rng.int(0, seen);
    if (slot >= DONOR_POOL) return;
    this.donors[slot] = {
      personId: person.id,
      given: givenByName(person.legalFirst, person.sex),
      nickname: person.nickname,
      last: person.last,
      city: person.address.city,
    };
  }

  private prospect(i: number): CampaignRow {
    let person: Person;
    let lookalikeOf = '';
    const donor = this.donors.length > 0 && this.rng.chance(LOOKALIKE_SHARE) ? this.rng.pick(this.donors) : null;
    if (donor !== null) {
      let city = CITY_TABLE.pick(this.rng);
      while (city === donor.city) city = CITY_TABLE.pick(this.rng);
      person = this.prospects.person(i, { given: donor.given, last: donor.last, city });
      person.nickname = donor.nickname;
      lookalikeOf = donor.personId;
    } else {
      person = this.prospects.person(i);
    }
    return {
      tail: this.tail(person),
      truth: {
        leadId: '',
        personId: '',
        category: 'prospect',
        expectedAction: 'mail',
        customerA: 'none',
        customerB: 'none',
        optedOutAnywhere: false,
        lookalikeOf,
      },
    };
  }

  /** A list row: mostly the name people give on forms (their used name), often no phone. */
  private tail(person: Person): string {
    const { rng, noise } = this.ctx;
    const name = writtenName(
      person,
      { newest: false, useNickname: person.nickname !== null && rng.chance(0.75) },
      this.ctx,
      noise.campaignStripsAccents,
    );
    const middle = name.middle !== '' && rng.chance(0.15) ? ` ${name.middle.charAt(0)}.` : '';
    const suffix = name.suffix === '' ? '' : ` ${name.suffix}`;
    let phone = '';
    if (!rng.chance(0.35)) {
      const digits = person.mobile !== null && (person.home === null || rng.chance(0.85)) ? person.mobile : person.home;
      if (digits !== null) phone = formatPhone(maybePhoneTypo(digits, this.ctx), rng.pick(PHONE_STYLES));
    }
    // Lists are compiled from old sources too: movers sometimes appear with their previous ZIP.
    const address = person.previousAddress !== null && rng.chance(0.3) ? person.previousAddress : person.address;
    const zip = rng.chance(0.04) ? '' : writtenZip(address, this.ctx);
    return csvLine([
      `${name.first}${middle} ${name.last}${suffix}`,
      writtenEmail(person, this.ctx, 0.12),
      phone,
      zip,
      rng.pick(LIST_SOURCES),
    ]);
  }
}
