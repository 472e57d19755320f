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
  /** Products held now (from active records only). */
  productsHeld: string[];
  /** Products that ended (held only by ended records and not held now). */
  productsEnded: string[];
}

export interface ProfileConsent {
  optedOut: boolean;
  /** Human-readable reason, e.g. "opted out in B (crm_b record 123) on 2024-02-01". */
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
  name: {
    /** The first name to greet with: a nickname used in the most recent records wins. */
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
  emails: ContactPoint[];
  phones: ContactPoint[];
  bestEmail: string | null;
  bestPhone: string | null;
  relationships: CompanyRelationship[];
  consent: ProfileConsent;
  /** Latest activity anywhere, ISO date. */
  lastActivity: string | null;
  stale: boolean;
  /** Lookup keys (normalised) used by the profile store's indexes. */
  keys: { emails: string[]; phones: string[]; nameKeys: string[] };
  /** Set when the cluster was split or is inconsistent and needs a human to look. */
  review: string[];
}
