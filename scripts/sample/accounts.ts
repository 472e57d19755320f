/**
 * A person's accounts at the two companies: which company, status, dates, products, consent. Decisions that need
 * all of a person's accounts at once (which record is newest, which ones predate a move) are made here too, so
 * the row writers only format and add noise.
 */
import { addYears, dayFromYmd, type Day } from './dates';
import type { ResolvedOptions } from './options';
import type { Person } from './people';
import { satellitePlans, telcoProducts } from './products';
import type { Rng } from './random';

export type Company = 'A' | 'B';

export interface Account {
  company: Company;
  ended: boolean;
  /** Telco only: active but suspended for non-payment (still a current customer). */
  suspended: boolean;
  since: Day;
  lastActivity: Day;
  /** Products on the account: current when active, those held at cancellation when ended. */
  products: string[];
  optedOut: boolean;
  /** Consent column left blank (only on accounts that did not opt out, so truth stays derivable). */
  consentBlank: boolean;
  /** The person's most recent record across both companies (strictly latest activity). */
  newest: boolean;
  useNickname: boolean;
  /** Written with the person's previous address / previous mobile (the record predates the change). */
  previousAddress: boolean;
  previousMobile: boolean;
  /** Assigned when the export's rows are ordered. */
  recordId: string;
}

export interface Membership {
  a: boolean;
  b: boolean;
}

/** Northwind started selling in 1998, Skyline in 2004; nobody is a customer before either. */
const FOUNDED: Record<Company, Day> = { A: dayFromYmd(1998, 3, 1), B: dayFromYmd(2004, 9, 1) };

export function drawMembership(rng: Rng, options: ResolvedOptions): Membership {
  const draw = rng.next();
  if (draw < options.shareBoth) return { a: true, b: true };
  if (draw < options.shareBoth + options.shareAOnly) return { a: true, b: false };
  return { a: false, b: true };
}

function drawAccount(company: Company, ended: boolean, person: Person, rng: Rng, options: ResolvedOptions): Account {
  const asOf = options.asOfDay;
  const staleCutoff = options.staleCutoffDay;
  const earliest = Math.max(FOUNDED[company], addYears(person.dob, 18));
  const latest = asOf - 30;
  const since = earliest >= latest ? Math.min(earliest, asOf - 1) : rng.int(earliest, latest);
  // An account opened in the last two months cannot have been cancelled already in this world.
  const isEnded = ended && since + 60 < asOf - 1;
  let lastActivity: Day;
  if (isEnded) {
    const end = rng.int(since + 60, asOf - 1);
    lastActivity = Math.max(since, end - rng.int(0, 45));
  } else if (since < staleCutoff && rng.chance(0.07)) {
    // Dormant but never cancelled: an active account nobody has used for over three years.
    lastActivity = rng.int(since, staleCutoff - 1);
  } else {
    lastActivity = Math.max(since, asOf - Math.floor(rng.exponential(40)));
  }
  const products = company === 'A' ? telcoProducts(rng) : satellitePlans(rng);
  return {
    company,
    ended: isEnded,
    suspended: company === 'A' && !isEnded && rng.chance(0.04),
    since,
    lastActivity,
    // Closed satellite accounts sometimes had their plans purged on closure.
    products: company === 'B' && isEnded && rng.chance(0.1) ? [] : products,
    optedOut: false,
    consentBlank: false,
    newest: false,
    useNickname: false,
    previousAddress: false,
    previousMobile: false,
    recordId: '',
  };
}

/** One company's accounts for a person: usually one, sometimes a duplicate (an older cancelled one or a second line). */
function companyAccounts(company: Company, person: Person, rng: Rng, options: ResolvedOptions, optedOut: boolean): Account[] {
  const ended = rng.chance(company === 'A' ? options.endedA : options.endedB);
  const accounts = [drawAccount(company, ended, person, rng, options)];
  if (rng.chance(company === 'A' ? options.noise.duplicateA : options.noise.duplicateB)) {
    accounts.push(drawAccount(company, ended || rng.chance(0.6), person, rng, options));
  }
  if (optedOut) {
    // With two accounts the opt-out is often recorded on one only; any one of them must win in the merge.
    for (const account of accounts) account.optedOut = accounts.length === 1 || rng.chance(0.6);
    let recorded = false;
    for (const account of accounts) recorded ||= account.optedOut;
    if (!recorded) (accounts[0] as Account).optedOut = true;
  }
  for (const account of accounts) {
    if (!account.optedOut) account.consentBlank = rng.chance(options.noise.consentMissing);
  }
  return accounts;
}

// Module-level rather than inline: tsx wraps every closure creation in a name-keeping helper that is slow in hot loops.
function byLatestActivity(x: Account, y: Account): number {
  return y.lastActivity - x.lastActivity;
}

/**
 * All accounts of a person, newest first, with the cross-record decisions made:
 * the newest record is strictly the latest (ties broken by moving the other back a day), nickname users use the
 * nickname there, and records older than a move or number change show the old address or mobile.
 */
export function buildAccounts(person: Person, membership: Membership, rng: Rng, options: ResolvedOptions): Account[] {
  const optedOutA = membership.a && rng.chance(options.optOutA);
  // People who unsubscribe at one company are likelier to at the other.
  const optedOutB = membership.b && rng.chance(optedOutA ? Math.max(options.optOutB, 0.3) : options.optOutB);
  const accounts = [
    ...(membership.a ? companyAccounts('A', person, rng, options, optedOutA) : []),
    ...(membership.b ? companyAccounts('B', person, rng, options, optedOutB) : []),
  ];
  accounts.sort(byLatestActivity);
  const newest = accounts[0] as Account;
  for (const other of accounts.slice(1)) {
    if (other.lastActivity >= newest.lastActivity) {
      other.lastActivity = newest.lastActivity - 1;
      other.since = Math.min(other.since, other.lastActivity);
    }
  }
  newest.newest = true;

  if (person.nickname !== null) {
    for (const account of accounts) {
      account.useNickname = account.newest || rng.chance(options.noise.nicknameInOlderRecords);
    }
  }

  const oldest = accounts[accounts.length - 1] as Account;
  if (accounts.length > 1) {
    if (person.previousAddress !== null) {
      const moveDay = rng.int(oldest.lastActivity + 1, newest.lastActivity);
      for (const account of accounts) account.previousAddress = account.lastActivity < moveDay;
    }
    if (person.previousMobile !== null) {
      const changeDay = rng.int(oldest.lastActivity + 1, newest.lastActivity);
      for (const account of accounts) account.previousMobile = account.lastActivity < changeDay;
    }
  }
  return accounts;
}
