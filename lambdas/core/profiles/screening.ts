import { ConfigurationError } from '../errors';
import type { CompanyRelationship, UnifiedProfile } from '../model/profile';
import { productKey } from './products';
import { compareText, nonBlank } from './text';

/**
 * Campaign screening: should marketing mail one target, given the profile it matched (if any)?
 * Every decision errs on the side of NOT mailing an existing customer; the reasons are written for the marketing
 * person reading the suppression list, and come in a fixed order: opt-out, review, customer relationships
 * (by company), product already held, staleness, no match.
 */

export type Campaign = { kind: 'switch' } | { kind: 'winback' } | { kind: 'offer'; product: string };
export type CampaignKind = Campaign['kind'];

/**
 * By default a stale profile suppresses product offers only: an offer built on what someone held years ago is the
 * dealership's mistake. A win-back is by nature addressed to people whose relationship ended long ago, and a switch
 * mailing only needs to know the person is not a current customer (see `screenTarget`).
 */
export const DEFAULT_STALE_SUPPRESSES: readonly CampaignKind[] = ['offer'];

export interface ScreeningOptions {
  /** A match at or above this probability is the person. */
  matchThreshold: number;
  /** A match at or above this (and below `matchThreshold`) needs a human: the target is suppressed until then. */
  reviewThreshold: number;
  /** Campaign kinds a stale profile suppresses; default `DEFAULT_STALE_SUPPRESSES`. */
  staleSuppresses?: readonly CampaignKind[];
  /**
   * What a match in the review band does: 'report' (default) mails the target with a "possible match" reason for a
   * person to check; 'suppress' holds it back until someone has. Measured on the sample, suppressing the band
   * holds back ~3% of prospects (people sharing a customer's name elsewhere) to catch ~0.3% more customers.
   */
  reviewBand?: 'report' | 'suppress';
}

export interface ScreeningInput {
  campaign: Campaign;
  match: { profile: UnifiedProfile; probability: number } | null;
  /** Set when the target matched several profiles with no clear winner. */
  ambiguous?: { candidates: number; bestProbability: number };
  options: ScreeningOptions;
}

/** Stable keys for counting reasons; company-specific ones embed the company name. */
export const REASON_CATEGORY = {
  optedOut: 'opted_out',
  review: 'review',
  alreadyHolds: 'already_holds',
  stale: 'stale',
  noMatch: 'no_match',
  possibleMatch: 'possible_match',
  formerCustomer: 'former_customer',
} as const;
export const existingCustomerCategory = (company: string): string => `existing_customer_${company}`;
export const possibleCustomerCategory = (company: string): string => `possible_customer_${company}`;

export interface ScreeningResult {
  suppress: boolean;
  /** Human-readable, in a stable order. */
  reasons: string[];
  /** The category of each reason, parallel to `reasons`: what `summariseReasons` counts. */
  categories: string[];
}

interface Reason {
  category: string;
  text: string;
}

function result(suppress: boolean, reasons: readonly Reason[]): ScreeningResult {
  return {
    suppress,
    reasons: reasons.map((reason) => reason.text),
    categories: reasons.map((reason) => reason.category),
  };
}

function isProbability(value: number): boolean {
  return Number.isFinite(value) && value >= 0 && value <= 1;
}

function validate(input: ScreeningInput): void {
  const { matchThreshold, reviewThreshold } = input.options;
  if (!isProbability(matchThreshold) || !isProbability(reviewThreshold) || reviewThreshold > matchThreshold) {
    throw new ConfigurationError('thresholds must satisfy 0 <= reviewThreshold <= matchThreshold <= 1');
  }
  if (input.campaign.kind === 'offer' && !nonBlank(input.campaign.product)) {
    throw new ConfigurationError('an offer campaign needs a product');
  }
}

const formatProbability = (probability: number): string => probability.toFixed(2);

const noMatch: Reason = { category: REASON_CATEGORY.noMatch, text: 'no matching customer' };

function reviewReason(probability: number, candidates?: number): Reason {
  const detail = candidates === undefined ? '' : `, ${candidates} candidate customers`;
  return {
    category: REASON_CATEGORY.review,
    text: `ambiguous match needing review (p=${formatProbability(probability)}${detail})`,
  };
}

/** "opted out in company B on 2024-02-01", naming the company rather than the system it was recorded in. */
function optOutReason(profile: UnifiedProfile): Reason | null {
  const { consent } = profile;
  if (!consent.optedOut) return null;
  const member = profile.members.find((m) => m.source === consent.source && m.recordId === consent.recordId);
  const where = member ? `company ${member.company}` : consent.source ?? 'another system';
  const when = consent.date === null ? ' (date not recorded)' : ` on ${consent.date}`;
  return { category: REASON_CATEGORY.optedOut, text: `opted out in ${where}${when}` };
}

/**
 * Current customers of either company. A relationship with no recorded status counts as possibly current: the
 * person is in that company's customer export and nothing says they left.
 */
function currentCustomerReasons(relationships: readonly CompanyRelationship[]): Reason[] {
  return [...relationships]
    .sort((a, b) => compareText(a.company, b.company))
    .flatMap((relationship): Reason[] => {
      const { company } = relationship;
      if (relationship.status === 'active') {
        return [{ category: existingCustomerCategory(company), text: `existing customer of ${company}` }];
      }
      if (relationship.status === 'unknown') {
        return [
          {
            category: possibleCustomerCategory(company),
            text: `possibly an existing customer of ${company} (status not recorded)`,
          },
        ];
      }
      return [];
    });
}

function alreadyHoldsReason(profile: UnifiedProfile, product: string): Reason | null {
  const wanted = productKey(product);
  const held = profile.relationships.some((relationship) =>
    relationship.productsHeld.some((heldProduct) => productKey(heldProduct) === wanted),
  );
  return held ? { category: REASON_CATEGORY.alreadyHolds, text: `already holds ${product.trim()}` } : null;
}

function staleReason(profile: UnifiedProfile): Reason {
  const text =
    profile.lastActivity === null
      ? 'stale contact: no activity date on record'
      : `stale contact: last activity ${profile.lastActivity}`;
  return { category: REASON_CATEGORY.stale, text };
}

function campaignReasons(campaign: Campaign, profile: UnifiedProfile): Reason[] {
  switch (campaign.kind) {
    // A switch offer to anyone who is a customer of either company is the mailing this tool exists to stop.
    case 'switch':
    // A win-back is only for people who left: a current customer of either company is not someone to win back.
    case 'winback':
      return currentCustomerReasons(profile.relationships);
    case 'offer': {
      const holds = alreadyHoldsReason(profile, campaign.product);
      return holds === null ? [] : [holds];
    }
  }
}

/**
 * Decides one target:
 * - several candidate profiles at or above reviewThreshold with no clear winner suppress with a review reason only:
 *   nothing else is claimed about a person we are not sure of;
 * - a match in the review band (reviewThreshold <= p < matchThreshold) is mailed with a "possible match" reason,
 *   or suppressed for review when `reviewBand` is 'suppress';
 * - no match, or a match below reviewThreshold: mail, reason "no matching customer";
 * - a confident match: opted out anywhere suppresses every campaign; switch and win-back suppress current
 *   customers of either company; an offer suppresses people already holding the product (case- and
 *   space-insensitive); a stale profile suppresses the kinds in `staleSuppresses` (default win-back and offer,
 *   whose content relies on what we know of the relationship; a switch mailing only needs to know the person is
 *   not a current customer, which current-customer rules already decide).
 */
export function screenTarget(input: ScreeningInput): ScreeningResult {
  validate(input);
  const { campaign, match, ambiguous, options } = input;

  if (ambiguous !== undefined && ambiguous.candidates > 1 && ambiguous.bestProbability >= options.reviewThreshold) {
    return result(true, [reviewReason(ambiguous.bestProbability, ambiguous.candidates)]);
  }
  if (match === null || match.probability < options.reviewThreshold) return result(false, [noMatch]);
  if (match.probability < options.matchThreshold) {
    if (options.reviewBand === 'suppress') return result(true, [reviewReason(match.probability)]);
    return result(false, [
      {
        category: REASON_CATEGORY.possibleMatch,
        text: `possible match below the match threshold (p=${formatProbability(match.probability)}): check before mailing`,
      },
    ]);
  }

  const { profile } = match;
  const optOut = optOutReason(profile);
  const staleSuppresses = options.staleSuppresses ?? DEFAULT_STALE_SUPPRESSES;
  const reasons: Reason[] = [
    ...(optOut === null ? [] : [optOut]),
    ...campaignReasons(campaign, profile),
    ...(profile.stale && staleSuppresses.includes(campaign.kind) ? [staleReason(profile)] : []),
  ];
  if (reasons.length > 0) return result(true, reasons);
  // Mailed, but a person reading the list should still see who this is: a former customer, or a customer the
  // campaign does not exclude (an offer of something they do not hold).
  const ended = profile.relationships.filter((r) => r.status === 'ended').map((r) => r.company).sort(compareText);
  const informative: Reason[] = ended.map((company) => ({
    category: REASON_CATEGORY.formerCustomer,
    text: `former customer of ${company}`,
  }));
  if (informative.length === 0) informative.push({ category: 'matched_customer', text: 'matched customer, not excluded by this campaign' });
  return result(false, informative);
}

/**
 * Targets per reason category across a campaign's results (a target counts once per category), keys sorted so
 * the summary serialises identically between runs.
 */
export function summariseReasons(results: readonly Pick<ScreeningResult, 'categories'>[]): Record<string, number> {
  const counts = new Map<string, number>();
  for (const { categories } of results) {
    for (const category of new Set(categories)) counts.set(category, (counts.get(category) ?? 0) + 1);
  }
  return Object.fromEntries([...counts.entries()].sort(([a], [b]) => compareText(a, b)));
}
