/**
 * The normalised customer record: one input row after column mapping and normalisation.
 * Every field used for matching is already in its comparison form (lower case, no accents, E.164 phones, ISO dates),
 * so the matching core never parses raw text. Display forms are kept only where a profile shows them to people.
 */

export type RelationshipStatus = 'active' | 'ended';

export interface PersonName {
  /** Normalised given name as written in the source (lower case, no accents), e.g. "bob". */
  first: string | null;
  /** Given name resolved through the nickname list, e.g. "robert" for "bob"; equals `first` when no nickname applies. */
  firstCanonical: string | null;
  middle: string | null;
  /** Normalised surname; multi-part surnames keep their parts joined by single spaces ("van der berg"). */
  last: string | null;
  /** Generational suffix kept apart because it separates father and son: "jr", "sr", "ii", "iii", "iv". */
  suffix: string | null;
  /** The given name as the source wrote it (original case and accents), for greetings. */
  firstDisplay: string | null;
  /** The surname as the source wrote it, for display. */
  lastDisplay: string | null;
}

export interface PostalAddress {
  number: string | null;
  /** Street name with USPS-style abbreviations applied ("main st"). */
  street: string | null;
  unit: string | null;
  city: string | null;
  state: string | null;
  postcode: string | null;
}

export interface Consent {
  /** true: opted out / do-not-email; false: explicitly opted in or allowed; null: the source does not say. */
  optedOut: boolean | null;
  /** ISO date of the consent decision when the source gives one. */
  date: string | null;
}

export interface CustomerRecord {
  /** Unique across a run: `${source}:${recordId}`. */
  key: string;
  /** Source name given on the command line (e.g. "telco"). */
  source: string;
  /** The company this source belongs to (e.g. "A" or "Northwind Telecom"). */
  company: string;
  recordId: string;
  /** 1-based physical line in the input file where the row starts (the header is line 1). */
  line: number;
  name: PersonName;
  /** Emails in matching form (provider rules applied: gmail dots and +tags removed). */
  emails: string[];
  /** Emails as contactable addresses (trimmed, lower-cased), parallel to `emails`. */
  emailsDisplay: string[];
  /** Phones in E.164. */
  phones: string[];
  address: PostalAddress;
  /** ISO date YYYY-MM-DD. */
  dateOfBirth: string | null;
  /** Other declared identifiers (national id, loyalty number), normalised to upper-case alphanumerics. */
  identifiers: Record<string, string>;
  customerSince: string | null;
  lastActivity: string | null;
  status: RelationshipStatus | null;
  /** Product names, trimmed, original case. */
  products: string[];
  consent: Consent;
  /** Non-fatal data-quality findings, e.g. "invalid phone", "invalid email"; never contain the value itself. */
  warnings: string[];
}

/** A row that could not become a record. `reason` never contains the customer's values. */
export interface RejectedRow {
  source: string;
  line: number;
  reason: string;
  /** The raw row as read (for the rejects file only, which is access-controlled like the input). */
  raw: string;
}
