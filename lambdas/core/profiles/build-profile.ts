import { ConfigurationError, CrmMergeError } from '../errors';
import type { UnifiedProfile } from '../model/profile';
import type { CustomerRecord } from '../model/record';
import { summariseActivity } from './activity';
import { resolveConsent } from './consent';
import { summariseEmails, summarisePhones } from './contacts';
import { toIsoDay } from './dates';
import { surviveAddress, surviveDateOfBirth } from './details';
import { profileKeys } from './keys';
import { orderMembers, type ProfileMember } from './members';
import { surviveName } from './name-survivorship';
import { buildRelationships } from './relationships';
import {
  DEFAULT_SURVIVORSHIP_RULES,
  SURVIVORSHIP_STRATEGIES,
  sourcePriorityComparator,
  type SurvivorshipRules,
} from './survivorship';
import { nonBlank } from './text';

export const DEFAULT_STALE_AFTER_DAYS = 730;

export interface ProfileOptions {
  /** ISO date the run treats as today. Passed in, never read from the clock, so a rerun gives the same profile. */
  asOf: string;
  /** A profile whose latest date is more than this many days before `asOf` is stale. Default 730. */
  staleAfterDays?: number;
  /** Source names, most trusted first; breaks ties between equally recent values. */
  sourcePriority: string[];
  /** Per-field overrides of `DEFAULT_SURVIVORSHIP_RULES`. */
  rules?: Partial<SurvivorshipRules>;
}

export interface BuildProfileInput {
  profileId: string;
  runId: string;
  /** The cluster's records, in any order. */
  members: CustomerRecord[];
  options: ProfileOptions;
}

/** The cluster handed to `buildProfile` cannot make a profile (no members). */
export class ProfileInputError extends CrmMergeError {}

interface ResolvedOptions {
  asOf: string;
  staleAfterDays: number;
  sourcePriority: string[];
  rules: SurvivorshipRules;
}

/** Checks options once per call; they often come from CLI flags or JSON, where the type system cannot help. */
export function resolveProfileOptions(options: ProfileOptions): ResolvedOptions {
  const asOf = toIsoDay(options.asOf);
  if (asOf === null) throw new ConfigurationError('asOf must be an ISO date (YYYY-MM-DD)');
  const staleAfterDays = options.staleAfterDays ?? DEFAULT_STALE_AFTER_DAYS;
  if (!Number.isInteger(staleAfterDays) || staleAfterDays < 0) {
    throw new ConfigurationError('staleAfterDays must be a whole number of days, 0 or more');
  }
  // An override left undefined (a JSON config with `"middle": null` read loosely) keeps the default.
  const overrides = Object.entries(options.rules ?? {}).filter(([, strategy]) => strategy != null);
  const rules: SurvivorshipRules = { ...DEFAULT_SURVIVORSHIP_RULES, ...Object.fromEntries(overrides) };
  for (const [field, strategy] of Object.entries(rules)) {
    if (!(field in DEFAULT_SURVIVORSHIP_RULES)) throw new ConfigurationError(`unknown survivorship field ${field}`);
    if (!SURVIVORSHIP_STRATEGIES.includes(strategy)) {
      throw new ConfigurationError(
        `survivorship rule for ${field} must be one of ${SURVIVORSHIP_STRATEGIES.join(', ')}`,
      );
    }
  }
  return { asOf, staleAfterDays, sourcePriority: [...options.sourcePriority], rules };
}

function invalidDateReview(members: readonly ProfileMember[]): string[] {
  const hasInvalidDate = members.some(({ record }) =>
    [record.customerSince, record.lastActivity, record.dateOfBirth, record.consent.date].some(
      (date) => nonBlank(date) && toIsoDay(date) === null,
    ),
  );
  return hasInvalidDate ? ['a member has a date that is not a real calendar date; it was ignored'] : [];
}

/**
 * Turns one cluster of matched records into the unified profile. Pure and deterministic: the same members in any
 * order, with the same options, give a byte-identical profile (every list is sorted, every tie broken by record
 * key). Review notes never contain customer values, so they can go into reports and logs.
 */
export function buildProfile(input: BuildProfileInput): UnifiedProfile {
  const options = resolveProfileOptions(input.options);
  const { members, duplicateKeys } = orderMembers(input.members);
  if (members.length === 0) throw new ProfileInputError(`profile ${input.profileId} has no member records`);

  const bySource = sourcePriorityComparator(options.sourcePriority);
  const name = surviveName(members, options.rules, bySource);
  const dateOfBirth = surviveDateOfBirth(members, options.rules, bySource);
  const emails = summariseEmails(members, bySource);
  const phones = summarisePhones(members, bySource);
  const activity = summariseActivity(members, options.asOf, options.staleAfterDays);

  const review = [
    ...(duplicateKeys > 0 ? ['the cluster listed the same record more than once'] : []),
    ...name.review,
    ...dateOfBirth.review,
    ...invalidDateReview(members),
    ...activity.review,
  ];

  return {
    profileId: input.profileId,
    runId: input.runId,
    members: members.map(({ origin }) => ({
      source: origin.source,
      recordId: origin.recordId,
      company: origin.company,
    })),
    name: name.name,
    dateOfBirth: dateOfBirth.dateOfBirth,
    address: surviveAddress(members, options.rules, bySource),
    emails: emails.points,
    phones: phones.points,
    bestEmail: emails.best,
    bestPhone: phones.best,
    relationships: buildRelationships(members, bySource),
    consent: resolveConsent(members, bySource),
    lastActivity: activity.lastActivity,
    stale: activity.stale,
    keys: profileKeys(members, emails.keys, phones.keys),
    review: [...new Set(review)],
  };
}
