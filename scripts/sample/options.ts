/**
 * Options of the sample generator and their defaults. Every rate is a probability in [0, 1]; the defaults are
 * what the README's "noise rates" table documents, chosen to resemble exports of mid-sized US consumer CRMs:
 * noisy enough that exact matching fails, clean enough that a good linker can reach >95% precision and recall.
 */
import { addYears, dayFromYmd, parseIsoDay, type Day } from './dates';

export type HardCaseKind = 'twin' | 'jr-sr' | 'namesake' | 'shared-email';
export const HARD_CASE_KINDS: readonly HardCaseKind[] = ['twin', 'jr-sr', 'namesake', 'shared-email'];

export type CampaignCategory = 'customer_a' | 'customer_b' | 'customer_both' | 'former' | 'opted_out' | 'prospect';
export const CAMPAIGN_CATEGORIES: readonly CampaignCategory[] = [
  'customer_a',
  'customer_b',
  'customer_both',
  'former',
  'opted_out',
  'prospect',
];

export interface NoiseRates {
  /** Persons whose given name has a common nickname and who go by it (their newest record always uses it). */
  nickname: number;
  /** Older records of a nickname user that also carry the nickname (the rest carry the legal name). */
  nicknameInOlderRecords: number;
  /** One-character edit (substitution, deletion, doubling, transposition) in the first name; never in the newest record. */
  firstNameTypo: number;
  /** One-character edit in the surname, per record. */
  lastNameTypo: number;
  /** One-character edit in the street name, per record. */
  streetTypo: number;
  /** Telco rows written without accents (its legacy CRM is ASCII-only for most screens). */
  telcoStripsAccents: number;
  /** Satellite rows written without accents. */
  satelliteStripsAccents: number;
  /** Campaign rows written without accents. */
  campaignStripsAccents: number;
  /** Names typed in capitals ("ROBERT SMITH"), per record. */
  upperCaseName: number;
  /** Names typed in lower case, per record. */
  lowerCaseName: number;
  /** First and last name entered the wrong way round; never in the newest record. */
  swappedNames: number;
  /** Email left blank, per record. */
  missingEmail: number;
  /** Phone(s) left blank, per record. */
  missingPhone: number;
  /** Date of birth left blank, per record. */
  missingDob: number;
  /** Satellite writes the placeholder 1900-01-01 for an unknown birth date. */
  placeholderDob: number;
  /** Day and month exchanged in the date of birth (only when both are <= 12, so the date stays valid). */
  dobDayMonthSwap: number;
  /** Email written in upper or mixed case. */
  emailCase: number;
  /** Gmail addresses written with dots moved, added or removed (same mailbox under Gmail's rules). */
  gmailDotVariant: number;
  /** Gmail addresses written with a "+tag". */
  gmailPlusTag: number;
  /** One wrong digit in a phone number. */
  phoneTypo: number;
  /** Persons with a previous address; their records older than the move show it. */
  moved: number;
  /** Persons with a previous mobile number, shown by their records older than the change. */
  changedMobile: number;
  /** Telco rows whose ZIP starting with 0 lost the zero (spreadsheet round trip: "02134" -> "2134"). */
  zipLeadingZeroLost: number;
  /** ZIP written as ZIP+4. */
  zipPlusFour: number;
  /** Company A customers with a second telco account (duplicate within one company). */
  duplicateA: number;
  /** Company B customers with a second satellite account. */
  duplicateB: number;
  /** Records carrying the person's second email address instead of the first, when they have one. */
  secondaryEmailUsed: number;
  /** Consent column left blank on accounts that did not opt out. */
  consentMissing: number;
  /** Honorific written in the satellite full name ("Mr. Robert Smith"). */
  honorific: number;
  /** Satellite full names written "LAST, First M." (the rest "First Middle Last"). */
  lastCommaFirst: number;
}

export const DEFAULT_NOISE: Readonly<NoiseRates> = {
  nickname: 0.35,
  nicknameInOlderRecords: 0.3,
  firstNameTypo: 0.02,
  lastNameTypo: 0.02,
  streetTypo: 0.02,
  telcoStripsAccents: 0.7,
  satelliteStripsAccents: 0.15,
  campaignStripsAccents: 0.5,
  upperCaseName: 0.04,
  lowerCaseName: 0.01,
  swappedNames: 0.005,
  missingEmail: 0.07,
  missingPhone: 0.05,
  missingDob: 0.03,
  placeholderDob: 0.005,
  dobDayMonthSwap: 0.01,
  emailCase: 0.05,
  gmailDotVariant: 0.25,
  gmailPlusTag: 0.06,
  phoneTypo: 0.005,
  moved: 0.15,
  changedMobile: 0.06,
  zipLeadingZeroLost: 0.3,
  zipPlusFour: 0.08,
  duplicateA: 0.04,
  duplicateB: 0.02,
  secondaryEmailUsed: 0.2,
  consentMissing: 0.02,
  honorific: 0.12,
  lastCommaFirst: 0.4,
};

export interface SampleOptions {
  seed: number;
  /** Persons in the population (everyone in at least one export); prospects come on top. Default 5000. */
  people: number;
  /** Export date, ISO; all dates are on or before it. Fixed by default so output never depends on the clock. */
  asOf?: string;
  /** Share of persons who are (or were) customers of both companies. */
  shareBoth?: number;
  /** Share of persons of company A only; the rest are of company B only. */
  shareAOnly?: number;
  /** Share of a company's customer relationships that have ended (status Cancelled / Closed). */
  endedA?: number;
  endedB?: number;
  /** Share of a company's customers who opted out of email there. */
  optOutA?: number;
  optOutB?: number;
  /** Hard non-match groups (pairs) per 1,000 persons; at least one of each kind whenever its rate is > 0. */
  hardCasesPerThousand?: Partial<Record<HardCaseKind, number>>;
  /** Rows in the campaign list; default 20% of `people`. */
  campaignSize?: number;
  /** Target shares of campaign rows by category (normalised to sum 1). */
  campaignMix?: Partial<Record<CampaignCategory, number>>;
  noise?: Partial<NoiseRates>;
}

export interface ResolvedOptions {
  seed: number;
  people: number;
  asOf: string;
  asOfDay: Day;
  /** Activity before this day is stale: more than three years before asOf. */
  staleCutoffDay: Day;
  shareBoth: number;
  shareAOnly: number;
  endedA: number;
  endedB: number;
  optOutA: number;
  optOutB: number;
  hardCasesPerThousand: Record<HardCaseKind, number>;
  campaignSize: number;
  campaignMix: Record<CampaignCategory, number>;
  noise: NoiseRates;
}

export const DEFAULT_AS_OF = '2026-11-01';
/** Record ids are drawn from a permutation of 10^8 values per source; this keeps them unique with headroom. */
export const MAX_PEOPLE = 20_000_000;

const DEFAULT_HARD_CASES: Record<HardCaseKind, number> = { twin: 5, 'jr-sr': 5, namesake: 5, 'shared-email': 6 };
const DEFAULT_CAMPAIGN_MIX: Record<CampaignCategory, number> = {
  customer_a: 0.2,
  customer_b: 0.2,
  customer_both: 0.15,
  former: 0.12,
  opted_out: 0.1,
  prospect: 0.23,
};

function rate(name: string, value: number): number {
  if (!(value >= 0 && value <= 1)) throw new RangeError(`${name} must be a probability in [0, 1], got ${value}`);
  return value;
}

/** Fills defaults and rejects impossible settings with a message naming the option. */
export function resolveOptions(options: SampleOptions): ResolvedOptions {
  const { seed, people } = options;
  if (!Number.isSafeInteger(seed)) throw new RangeError(`seed must be an integer, got ${seed}`);
  if (!Number.isInteger(people) || people < 1 || people > MAX_PEOPLE) {
    throw new RangeError(`people must be an integer in [1, ${MAX_PEOPLE}], got ${people}`);
  }
  const asOf = options.asOf ?? DEFAULT_AS_OF;
  const asOfDay = parseIsoDay(asOf);
  if (asOfDay < dayFromYmd(2010, 1, 1)) throw new RangeError('asOf must be 2010-01-01 or later (both companies must exist)');
  const shareBoth = rate('shareBoth', options.shareBoth ?? 0.5);
  const shareAOnly = rate('shareAOnly', options.shareAOnly ?? 0.25);
  if (shareBoth + shareAOnly > 1) throw new RangeError('shareBoth + shareAOnly must not exceed 1');

  const noise: NoiseRates = { ...DEFAULT_NOISE };
  for (const [key, value] of Object.entries(options.noise ?? {})) {
    if (!(key in DEFAULT_NOISE)) throw new RangeError(`unknown noise rate ${JSON.stringify(key)}`);
    if (value !== undefined) noise[key as keyof NoiseRates] = rate(`noise.${key}`, value);
  }

  const hardCasesPerThousand = { ...DEFAULT_HARD_CASES };
  for (const [key, value] of Object.entries(options.hardCasesPerThousand ?? {})) {
    if (!(key in DEFAULT_HARD_CASES)) throw new RangeError(`unknown hard case ${JSON.stringify(key)}`);
    if (value !== undefined) {
      if (!(value >= 0 && value <= 100)) throw new RangeError(`hardCasesPerThousand.${key} must be in [0, 100]`);
      hardCasesPerThousand[key as HardCaseKind] = value;
    }
  }

  const mix = { ...DEFAULT_CAMPAIGN_MIX };
  for (const [key, value] of Object.entries(options.campaignMix ?? {})) {
    if (!(key in DEFAULT_CAMPAIGN_MIX)) throw new RangeError(`unknown campaign category ${JSON.stringify(key)}`);
    if (value !== undefined) {
      if (!(value >= 0)) throw new RangeError(`campaignMix.${key} must be >= 0`);
      mix[key as CampaignCategory] = value;
    }
  }
  const mixTotal = CAMPAIGN_CATEGORIES.reduce((sum, category) => sum + mix[category], 0);
  if (!(mixTotal > 0)) throw new RangeError('campaignMix must have a positive share');
  for (const category of CAMPAIGN_CATEGORIES) mix[category] /= mixTotal;

  const campaignSize = options.campaignSize ?? Math.round(people * 0.2);
  if (!Number.isInteger(campaignSize) || campaignSize < 0 || campaignSize > 9_000_000) {
    throw new RangeError(`campaignSize must be an integer in [0, 9000000], got ${campaignSize}`);
  }

  return {
    seed,
    people,
    asOf,
    asOfDay,
    staleCutoffDay: addYears(asOfDay, -3),
    shareBoth,
    shareAOnly,
    endedA: rate('endedA', options.endedA ?? 0.2),
    endedB: rate('endedB', options.endedB ?? 0.25),
    optOutA: rate('optOutA', options.optOutA ?? 0.12),
    optOutB: rate('optOutB', options.optOutB ?? 0.08),
    hardCasesPerThousand,
    campaignSize,
    campaignMix: mix,
    noise,
  };
}
