import type { ProfileMember } from './members';
import { daysBetween, laterDay, toIsoDay } from './dates';

export interface ActivitySummary {
  /** Latest last-activity date on any member. */
  lastActivity: string | null;
  stale: boolean;
  review: string[];
}

/**
 * Staleness asks whether anything we know about the person is recent. It uses the latest date of any kind on any
 * member (last activity or customer-since: a relationship opened last month is fresh even without activity), and
 * is stale when that date is MORE than `staleAfterDays` days before `asOf` (exactly `staleAfterDays` is still
 * fresh). A profile with no date at all is stale, with a review note: nothing shows the data is current, and
 * marketing should not act on it.
 */
export function summariseActivity(
  members: readonly ProfileMember[],
  asOf: string,
  staleAfterDays: number,
): ActivitySummary {
  let lastActivity: string | null = null;
  let lastSeen: string | null = null;
  for (const { record } of members) {
    const activity = toIsoDay(record.lastActivity);
    lastActivity = laterDay(lastActivity, activity);
    lastSeen = laterDay(lastSeen, laterDay(activity, toIsoDay(record.customerSince)));
  }

  const review: string[] = [];
  if (lastSeen === null) {
    review.push('no member has an activity or customer-since date; treated as stale');
    return { lastActivity, stale: true, review };
  }
  if (lastSeen > asOf) review.push('a member has an activity or customer-since date after the run date');
  return { lastActivity, stale: isStale(lastSeen, asOf, staleAfterDays), review };
}

/** The latest day a record shows (its last activity or customer-since date, whichever is later), or null. */
export const lastSeenDay = (record: { lastActivity: string | null; customerSince: string | null }): string | null =>
  laterDay(toIsoDay(record.lastActivity), toIsoDay(record.customerSince));

/**
 * Whether data last seen on `lastSeen` (YYYY-MM-DD, or null for no date at all) is stale at `asOf`: the one rule for
 * a profile's flag and the report's count of stale records.
 */
export const isStale = (lastSeen: string | null, asOf: string, staleAfterDays: number): boolean =>
  lastSeen === null || daysBetween(lastSeen, asOf) > staleAfterDays;
