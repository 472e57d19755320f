import type { SurvivingValue } from '../model/profile';
import type { CustomerRecord } from '../model/record';
import { compareDateDescending, toIsoDay } from './dates';
import { compareText } from './text';

/**
 * Survivorship: which of the members' competing values a profile keeps for a field.
 *
 * - `mostRecent` (default): the value from the most recent record; recency is the record's last activity, else its
 *   customer-since date, else none (undated records rank after dated ones). Ties go to the source listed first in
 *   `sourcePriority`, then to the lowest record key, so the choice never depends on input order.
 * - `sourcePriority`: the value from the source listed first in `sourcePriority` (unlisted sources rank after
 *   listed ones, alphabetically); ties by recency, then record key. For a system of record that is trusted over
 *   fresher but sloppier ones.
 * - `mostFrequent`: the value carried by the most member records (compared in normalised form); ties and the
 *   provenance go to the most recent sighting. Outvotes a one-off typo, e.g. in a date of birth.
 */
export type SurvivorshipStrategy = 'mostRecent' | 'sourcePriority' | 'mostFrequent';

export const SURVIVORSHIP_STRATEGIES: readonly SurvivorshipStrategy[] = [
  'mostRecent',
  'sourcePriority',
  'mostFrequent',
];

/** The strategy for every field of the profile chosen from competing values. */
export interface SurvivorshipRules {
  /** The first name to greet with (a nickname written in the most recent record wins under `mostRecent`). */
  preferredFirst: SurvivorshipStrategy;
  /** The formal first name (a value that is not a nickname). */
  legalFirst: SurvivorshipStrategy;
  middle: SurvivorshipStrategy;
  last: SurvivorshipStrategy;
  suffix: SurvivorshipStrategy;
  dateOfBirth: SurvivorshipStrategy;
  /** The postal address survives as a whole, never mixed field by field from different records. */
  address: SurvivorshipStrategy;
}

export const DEFAULT_SURVIVORSHIP_RULES: Readonly<SurvivorshipRules> = Object.freeze({
  preferredFirst: 'mostRecent',
  legalFirst: 'mostRecent',
  middle: 'mostRecent',
  last: 'mostRecent',
  suffix: 'mostRecent',
  dateOfBirth: 'mostRecent',
  address: 'mostRecent',
});

/** Where a candidate value comes from, with everything the ranking needs precomputed once per member. */
export interface RecordOrigin {
  source: string;
  recordId: string;
  /** `${source}:${recordId}`, unique in a run: the final tie-break. */
  key: string;
  company: string;
  /** Recency of the record: last activity, else customer-since, else null. */
  date: string | null;
  /** The record says the relationship ended; contact points from such records are a last resort. */
  ended: boolean;
}

/** One record's value for a field. */
export interface Sighting<T> {
  value: T;
  /** Comparison form: sightings with equal `sameAs` carry the same value (e.g. "bob" for "Bob" and "BOB"). */
  sameAs: string;
  origin: RecordOrigin;
}

export type OriginComparator = (a: RecordOrigin, b: RecordOrigin) => number;

export function recordOrigin(record: CustomerRecord): RecordOrigin {
  return {
    source: record.source,
    recordId: record.recordId,
    key: record.key,
    company: record.company,
    date: toIsoDay(record.lastActivity) ?? toIsoDay(record.customerSince),
    ended: record.status === 'ended',
  };
}

/** Orders origins by the configured source priority; unlisted sources come after, alphabetically. */
export function sourcePriorityComparator(sourcePriority: readonly string[]): OriginComparator {
  const rank = new Map<string, number>();
  sourcePriority.forEach((source, index) => {
    if (!rank.has(source)) rank.set(source, index);
  });
  return (a, b) => {
    const byRank = (rank.get(a.source) ?? Number.MAX_SAFE_INTEGER) - (rank.get(b.source) ?? Number.MAX_SAFE_INTEGER);
    return byRank !== 0 ? byRank : compareText(a.source, b.source);
  };
}

/** The default order of records: most recent, then source priority, then record key. Total and input-order free. */
export function recencyComparator(bySource: OriginComparator): OriginComparator {
  return (a, b) => compareDateDescending(a.date, b.date) || bySource(a, b) || compareText(a.key, b.key);
}

function priorityFirstComparator(bySource: OriginComparator): OriginComparator {
  return (a, b) => bySource(a, b) || compareDateDescending(a.date, b.date) || compareText(a.key, b.key);
}

/** Best sighting first; `sameAs` breaks the last tie so one record offering several values still ranks totally. */
function sortSightings<T>(sightings: readonly Sighting<T>[], byOrigin: OriginComparator): Sighting<T>[] {
  return [...sightings].sort((a, b) => byOrigin(a.origin, b.origin) || compareText(a.sameAs, b.sameAs));
}

function mostFrequent<T>(sightings: readonly Sighting<T>[], byRecency: OriginComparator): Sighting<T> {
  const ranked = sortSightings(sightings, byRecency);
  const recordsPerValue = new Map<string, Set<string>>();
  for (const sighting of ranked) {
    const records = recordsPerValue.get(sighting.sameAs) ?? new Set<string>();
    records.add(sighting.origin.key);
    recordsPerValue.set(sighting.sameAs, records);
  }
  // `ranked` is in recency order, so the first sighting of the top count is both the tie-break and the provenance.
  let best = ranked[0];
  for (const sighting of ranked) {
    if (recordsPerValue.get(sighting.sameAs)!.size > recordsPerValue.get(best.sameAs)!.size) best = sighting;
  }
  return best;
}

/** The surviving sighting for a field under `strategy`, or null when no member has a value. */
export function pickSurvivor<T>(
  sightings: readonly Sighting<T>[],
  strategy: SurvivorshipStrategy,
  bySource: OriginComparator,
): Sighting<T> | null {
  if (sightings.length === 0) return null;
  switch (strategy) {
    case 'mostRecent':
      return sortSightings(sightings, recencyComparator(bySource))[0];
    case 'sourcePriority':
      return sortSightings(sightings, priorityFirstComparator(bySource))[0];
    case 'mostFrequent':
      return mostFrequent(sightings, recencyComparator(bySource));
  }
}

export function toSurvivingValue<T>(sighting: Sighting<T>): SurvivingValue<T> {
  return {
    value: sighting.value,
    source: sighting.origin.source,
    recordId: sighting.origin.recordId,
    date: sighting.origin.date,
  };
}

export function survivingValue<T>(
  sightings: readonly Sighting<T>[],
  strategy: SurvivorshipStrategy,
  bySource: OriginComparator,
): SurvivingValue<T> | null {
  const survivor = pickSurvivor(sightings, strategy, bySource);
  return survivor === null ? null : toSurvivingValue(survivor);
}
