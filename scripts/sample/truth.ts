/**
 * Ground truth: which person every row belongs to, and the per-person facts a correct merge must reproduce
 * (the name they use, consent, customer status and products per company, staleness). Facts are computed from the
 * records as written, so everything in persons.csv is derivable from the exports by a perfect linker.
 */
import type { Account } from './accounts';
import { csvLine } from './csv';
import { formatIso, type Day } from './dates';
import type { CampaignCategory, HardCaseKind } from './options';
import type { Person } from './people';

export type CompanyStatus = 'active' | 'ended' | 'none';
export type SourceName = 'telco' | 'satellite';

export interface TruthRow {
  source: SourceName;
  recordId: string;
  personId: string;
}

export interface PersonTruth {
  personId: string;
  legalFirst: string;
  /** The name to greet with: the nickname when the person uses one (their newest record carries it). */
  preferredFirst: string;
  middle: string;
  last: string;
  suffix: string;
  sex: 'F' | 'M';
  dateOfBirth: string;
  customerA: CompanyStatus;
  customerB: CompanyStatus;
  optedOutA: boolean;
  optedOutB: boolean;
  optedOutAnywhere: boolean;
  /** Products on active records (suspended counts as active), sorted. */
  productsHeld: string[];
  /** Products only on ended records, sorted. */
  productsEnded: string[];
  hardCase: HardCaseKind | 'none';
  hardGroup: string;
  /** Latest activity over all records, ISO. */
  lastActivity: string;
  /** Latest activity is more than three years before the export date. */
  stale: boolean;
  recordsA: string[];
  recordsB: string[];
  /** "source:record_id" of the newest record, where preferredFirst is written. */
  preferredFrom: string;
  email: string;
  zip: string;
  city: string;
  state: string;
}

export interface CampaignTruthRow {
  leadId: string;
  /** "" for prospects: people in neither export. */
  personId: string;
  category: CampaignCategory;
  /** "suppress" for active customers of either company and anyone opted out anywhere; else "mail". */
  expectedAction: 'mail' | 'suppress';
  customerA: CompanyStatus;
  customerB: CompanyStatus;
  optedOutAnywhere: boolean;
  /** For prospects made to look like a population person (same name), that person's id. */
  lookalikeOf: string;
}

export const TRUTH_HEADER: readonly string[] = ['source', 'record_id', 'person_id'];

export const PERSONS_HEADER: readonly string[] = [
  'person_id', 'legal_first', 'preferred_first', 'middle', 'last', 'suffix', 'sex', 'dob', 'customer_a',
  'customer_b', 'opted_out_anywhere', 'opted_out_a', 'opted_out_b', 'products_held', 'products_ended',
  'hard_case', 'hard_group', 'last_activity', 'stale', 'records_a', 'records_b', 'preferred_from', 'email', 'zip',
  'city', 'state',
];

export const CAMPAIGN_TRUTH_HEADER: readonly string[] = [
  'lead_id', 'person_id', 'category', 'expected_action', 'customer_a', 'customer_b', 'opted_out_anywhere',
  'lookalike_of',
];

function status(records: readonly string[], active: boolean): CompanyStatus {
  return records.length === 0 ? 'none' : active ? 'active' : 'ended';
}

function sourceOf(account: Account): SourceName {
  return account.company === 'A' ? 'telco' : 'satellite';
}

/** Facts of one person; call after record ids are assigned. */
export function personTruth(person: Person, accounts: readonly Account[], staleCutoffDay: Day): PersonTruth {
  // Plain loops: this runs once per person, and closures are costly under tsx (see accounts.ts).
  const recordsA: string[] = [];
  const recordsB: string[] = [];
  const held = new Set<string>();
  const ended = new Set<string>();
  let activeA = false;
  let activeB = false;
  let optedOutA = false;
  let optedOutB = false;
  let lastActivity = -Infinity;
  let newest = accounts[0] as Account;
  for (const account of accounts) {
    const isA = account.company === 'A';
    (isA ? recordsA : recordsB).push(account.recordId);
    if (!account.ended) {
      if (isA) activeA = true;
      else activeB = true;
    }
    if (account.optedOut) {
      if (isA) optedOutA = true;
      else optedOutB = true;
    }
    for (const product of account.products) (account.ended ? ended : held).add(product);
    if (account.lastActivity > lastActivity) lastActivity = account.lastActivity;
    if (account.newest) newest = account;
  }
  const productsHeld = [...held].sort();
  const productsEnded: string[] = [];
  for (const product of ended) if (!held.has(product)) productsEnded.push(product);
  productsEnded.sort();
  return {
    personId: person.id,
    legalFirst: person.legalFirst,
    preferredFirst: person.nickname ?? person.legalFirst,
    middle: person.middle ?? '',
    last: person.last,
    suffix: person.suffix ?? '',
    sex: person.sex,
    dateOfBirth: formatIso(person.dob),
    customerA: status(recordsA, activeA),
    customerB: status(recordsB, activeB),
    optedOutA,
    optedOutB,
    optedOutAnywhere: optedOutA || optedOutB,
    productsHeld,
    productsEnded,
    hardCase: person.hardCase,
    hardGroup: person.hardGroup,
    lastActivity: formatIso(lastActivity),
    stale: lastActivity < staleCutoffDay,
    recordsA,
    recordsB,
    preferredFrom: `${sourceOf(newest)}:${newest.recordId}`,
    email: person.emails[0] ?? '',
    zip: person.address.zip,
    city: person.address.city.name,
    state: person.address.city.state,
  };
}

export function personLine(truth: PersonTruth): string {
  return csvLine([
    truth.personId,
    truth.legalFirst,
    truth.preferredFirst,
    truth.middle,
    truth.last,
    truth.suffix,
    truth.sex,
    truth.dateOfBirth,
    truth.customerA,
    truth.customerB,
    String(truth.optedOutAnywhere),
    String(truth.optedOutA),
    String(truth.optedOutB),
    truth.productsHeld.join(';'),
    truth.productsEnded.join(';'),
    truth.hardCase,
    truth.hardGroup,
    truth.lastActivity,
    String(truth.stale),
    truth.recordsA.join(';'),
    truth.recordsB.join(';'),
    truth.preferredFrom,
    truth.email,
    truth.zip,
    truth.city,
    truth.state,
  ]);
}

export function campaignTruthLine(row: CampaignTruthRow): string {
  return csvLine([
    row.leadId,
    row.personId,
    row.category,
    row.expectedAction,
    row.customerA,
    row.customerB,
    String(row.optedOutAnywhere),
    row.lookalikeOf,
  ]);
}

/** The campaign category of a population person; opt-outs first because they must never be mailed. */
export function campaignCategory(truth: PersonTruth): Exclude<CampaignCategory, 'prospect'> {
  if (truth.optedOutAnywhere) return 'opted_out';
  const a = truth.customerA === 'active';
  const b = truth.customerB === 'active';
  if (a && b) return 'customer_both';
  if (a) return 'customer_a';
  if (b) return 'customer_b';
  return 'former';
}

export function expectedAction(truth: Pick<PersonTruth, 'optedOutAnywhere' | 'customerA' | 'customerB'>): 'mail' | 'suppress' {
  return truth.optedOutAnywhere || truth.customerA === 'active' || truth.customerB === 'active' ? 'suppress' : 'mail';
}
