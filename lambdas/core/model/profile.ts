import type { RelationshipStatus } from './record';

/** Where a surviving value came from, so every field of the golden record can be traced. */
export interface Provenance {
  source: string;
  recordId: string;
  /** The date the value was last seen (the record's last activity, else customer-since), ISO. */
  date: string | null;
}

export interface SurvivingValue<T> extends Provenance {
  value: T;
}

export interface ContactPoint extends Provenance {
  value: string;
}

export interface CompanyRelationship {
  company: string;
  customerSince: string | null;
  lastActivity: string | null;
  /** "active" when any of the company's records is active; "ended" only when all of them ended. */
  status: RelationshipStatus | 'unknown';
  /**
   * Products held now: listed on the company's active records, or on records without a status (nothing says they
   * ended, and offering a product the person already has is worse than not offering). Never from ended records.
   */
  productsHeld: string[];
  /** Products listed only on ended records and held nowhere now, in any company. */
  productsEnded: string[];
}

export interface ProfileConsent {
  optedOut: boolean;
  /** Human-readable reason, e.g. "opted out in company B (crm_b record 123) on 2024-02-01". */
  reason: string | null;
  source: string | null;
  recordId: string | null;
  date: string | null;
}

export interface UnifiedProfile {
  profileId: string;
  /** The run that published this version of the profile. */
  runId: string;
  members: { source: string; recordId: string; company: string }[];
  /**
   * Display forms, ready for a greeting: first names title-cased when the source stored them all in capitals or all
   * in lower case; surname as the source wrote it; middle name title-cased from its normalised form; suffix kept as
   * its normalised code ("jr", "sr", "ii").
   */
  name: {
    /**
     * The first name to greet with: a nickname used in the most recent records wins. Never a bare initial: the
     * middle name when the first is only an initial, else null.
     */
    preferredFirst: SurvivingValue<string> | null;
    legalFirst: SurvivingValue<string> | null;
    middle: SurvivingValue<string> | null;
    last: SurvivingValue<string> | null;
    suffix: SurvivingValue<string> | null;
  };
  dateOfBirth: SurvivingValue<string> | null;
  address: SurvivingValue<{
    number: string | null;
    street: string | null;
    unit: string | null;
    city: string | null;
    state: string | null;
    postcode: string | null;
  }> | null;
  /** Every known email once per matching form (value = the latest contactable spelling), most recently seen first. */
  emails: ContactPoint[];
  /** Every known E.164 phone once, most recently seen first. */
  phones: ContactPoint[];
  /** Most recently seen, preferring ones seen on a relationship that has not ended. */
  bestEmail: string | null;
  bestPhone: string | null;
  relationships: CompanyRelationship[];
  consent: ProfileConsent;
  /** Latest last-activity date on any member, ISO date. */
  lastActivity: string | null;
  /**
   * The latest date known on any member (last activity or customer-since) is more than staleAfterDays before the
   * run's as-of date, or no member has any date.
   */
  stale: boolean;
  /**
   * Lookup keys (normalised, sorted) used by the profile store's indexes: email matching forms, E.164 phones, and
   * from every member "<canonical first> <last>" and "<last>".
   */
  keys: { emails: string[]; phones: string[]; nameKeys: string[] };
  /**
   * Set when the cluster was split or is inconsistent and needs a human to look (different dates of birth or
   * suffixes, first names that are not forms of one name, no dates at all). Never contains customer values.
   */
  review: string[];
}
