import { ConfigurationError } from '../../../lambdas/core/errors';
import type { UnifiedProfile } from '../../../lambdas/core/model/profile';
import type { CustomerRecord } from '../../../lambdas/core/model/record';
import { buildProfile } from '../../../lambdas/core/profiles/build-profile';
import {
  screenTarget,
  summariseReasons,
  type Campaign,
  type ScreeningInput,
} from '../../../lambdas/core/profiles/screening';
import { withChanges, type RecordChanges } from './fixtures';

const thresholds = { matchThreshold: 0.9, reviewThreshold: 0.6 };
const switchCampaign: Campaign = { kind: 'switch' };
const winback: Campaign = { kind: 'winback' };
const fiberOffer: Campaign = { kind: 'offer', product: 'Fiber 1G' };
const ALL_CAMPAIGNS: Campaign[] = [switchCampaign, winback, fiberOffer];

const inA = (changes: RecordChanges = {}) =>
  withChanges({ source: 'billing', recordId: '17', company: 'A', lastActivity: '2024-05-10' }, changes);
const inB = (changes: RecordChanges = {}) =>
  withChanges({ source: 'satellite', recordId: '123', company: 'B', lastActivity: '2024-06-01' }, changes);

function profileOf(...members: CustomerRecord[]): UnifiedProfile {
  return buildProfile({
    profileId: 'p-1',
    runId: 'run-1',
    members,
    options: { asOf: '2025-01-01', staleAfterDays: 730, sourcePriority: ['billing', 'satellite'] },
  });
}

function screen(campaign: Campaign, profile: UnifiedProfile, extra: Partial<ScreeningInput> = {}) {
  return screenTarget({ campaign, match: { profile, probability: 0.97 }, options: thresholds, ...extra });
}

describe('screenTarget: consent', () => {
  it('suppresses an opt-out in B for every campaign, even with an opt-in in A', () => {
    const profile = profileOf(
      inA({ status: 'ended', consent: { optedOut: false, date: '2024-05-01' } }),
      inB({ status: 'ended', consent: { optedOut: true, date: '2024-02-01' } }),
    );
    for (const campaign of ALL_CAMPAIGNS) {
      expect(screen(campaign, profile)).toEqual({
        suppress: true,
        reasons: ['opted out in company B on 2024-02-01'],
        categories: ['opted_out'],
      });
    }
  });

  it('says when the opt-out date is unknown', () => {
    const profile = profileOf(inB({ status: 'ended', consent: { optedOut: true, date: null } }));
    expect(screen(winback, profile).reasons).toEqual(['opted out in company B (date not recorded)']);
  });
});

describe('screenTarget: switch campaigns', () => {
  it('suppresses active customers of either company, naming each', () => {
    expect(screen(switchCampaign, profileOf(inB({ status: 'active' })))).toEqual({
      suppress: true,
      reasons: ['existing customer of B'],
      categories: ['existing_customer_B'],
    });
    expect(screen(switchCampaign, profileOf(inA({ status: 'active' }), inB({ status: 'active' }))).reasons).toEqual([
      'existing customer of A',
      'existing customer of B',
    ]);
  });

  it('mails former customers, saying who they are', () => {
    expect(screen(switchCampaign, profileOf(inA({ status: 'ended' }), inB({ status: 'ended' })))).toEqual({
      suppress: false,
      reasons: ['former customer of A', 'former customer of B'],
      categories: ['former_customer', 'former_customer'],
    });
  });

  it('suppresses people whose status was never recorded: they are in that company\'s customer export', () => {
    expect(screen(switchCampaign, profileOf(inB({ status: null })))).toEqual({
      suppress: true,
      reasons: ['possibly an existing customer of B (status not recorded)'],
      categories: ['possible_customer_B'],
    });
  });

  it('does not suppress for staleness alone by default, but can be configured to', () => {
    const longGone = profileOf(inB({ status: 'ended', lastActivity: '2019-03-02' }));
    expect(longGone.stale).toBe(true);
    expect(screen(switchCampaign, longGone).suppress).toBe(false);
    const strict = { ...thresholds, staleSuppresses: ['switch', 'winback', 'offer'] as const };
    expect(screen(switchCampaign, longGone, { options: strict }).reasons).toEqual([
      'stale contact: last activity 2019-03-02',
    ]);
  });
});

describe('screenTarget: win-back campaigns', () => {
  it('keeps former customers', () => {
    expect(screen(winback, profileOf(inA({ status: 'ended', products: ['Fiber 1G'] })))).toEqual({
      suppress: false,
      reasons: ['former customer of A'],
      categories: ['former_customer'],
    });
  });

  it('suppresses someone who left A but is a current customer of B', () => {
    expect(screen(winback, profileOf(inA({ status: 'ended' }), inB({ status: 'active' }))).reasons).toEqual([
      'existing customer of B',
    ]);
  });

  it('keeps former customers whose data is old by default (a win-back is for people who left long ago)', () => {
    const profile = profileOf(inA({ status: 'ended', lastActivity: '2019-03-02', products: ['DSL 16M'] }));
    expect(screen(winback, profile).suppress).toBe(false);
  });

  it('suppresses former customers whose data is stale when configured to', () => {
    const profile = profileOf(inA({ status: 'ended', lastActivity: '2019-03-02', products: ['DSL 16M'] }));
    const strict = { ...thresholds, staleSuppresses: ['winback', 'offer'] as const };
    expect(screen(winback, profile, { options: strict })).toEqual({
      suppress: true,
      reasons: ['stale contact: last activity 2019-03-02'],
      categories: ['stale'],
    });
  });
});

describe('screenTarget: product offers', () => {
  it('suppresses when the product is held now, ignoring case and spacing', () => {
    const profile = profileOf(inA({ status: 'active', products: ['FIBER 1G'] }));
    expect(screen({ kind: 'offer', product: ' fiber1g ' }, profile)).toEqual({
      suppress: true,
      reasons: ['already holds fiber1g'],
      categories: ['already_holds'],
    });
    expect(screen(fiberOffer, profile).reasons).toEqual(['already holds Fiber 1G']);
  });

  it('offers a product the person ended, and customers of either company may receive offers', () => {
    const profile = profileOf(
      inA({ status: 'active', products: ['Mobile'] }),
      inB({ status: 'ended', products: ['Fiber 1G'] }),
    );
    expect(screen(fiberOffer, profile).suppress).toBe(false);
  });

  it('suppresses a product held in A even though it ended in B', () => {
    const profile = profileOf(
      inA({ status: 'active', products: ['Fiber 1G'] }),
      inB({ status: 'ended', products: ['Fiber 1G'] }),
    );
    expect(screen(fiberOffer, profile).reasons).toEqual(['already holds Fiber 1G']);
  });

  it('suppresses when the profile is stale: what it says they hold is out of date', () => {
    const profile = profileOf(inA({ status: 'active', lastActivity: '2019-03-02', products: ['Mobile'] }));
    expect(screen(fiberOffer, profile).reasons).toEqual(['stale contact: last activity 2019-03-02']);
  });
});

describe('screenTarget: match quality', () => {
  const customer = profileOf(inA({ status: 'active' }));

  it('mails a match in the review band by default, with a reason asking a person to check, claiming nothing else', () => {
    expect(screen(switchCampaign, customer, { match: { profile: customer, probability: 0.73 } })).toEqual({
      suppress: false,
      reasons: ['possible match below the match threshold (p=0.73): check before mailing'],
      categories: ['possible_match'],
    });
  });

  it('suppresses a match in the review band when told to, claiming nothing else', () => {
    const suppressBand = { ...thresholds, reviewBand: 'suppress' as const };
    expect(
      screen(switchCampaign, customer, { match: { profile: customer, probability: 0.73 }, options: suppressBand }),
    ).toEqual({
      suppress: true,
      reasons: ['ambiguous match needing review (p=0.73)'],
      categories: ['review'],
    });
    expect(
      screen(switchCampaign, customer, { match: { profile: customer, probability: 0.6 }, options: suppressBand })
        .suppress,
    ).toBe(true);
  });

  it('treats a match at the match threshold as the person', () => {
    expect(screen(switchCampaign, customer, { match: { profile: customer, probability: 0.9 } }).reasons).toEqual([
      'existing customer of A',
    ]);
  });

  it('mails when there is no match or only a weak one', () => {
    const expected = { suppress: false, reasons: ['no matching customer'], categories: ['no_match'] };
    expect(screen(switchCampaign, customer, { match: null })).toEqual(expected);
    expect(screen(switchCampaign, customer, { match: { profile: customer, probability: 0.59 } })).toEqual(expected);
  });

  it('suppresses a target matching several customers with no clear winner', () => {
    const ambiguous = { candidates: 3, bestProbability: 0.95 };
    expect(screen(fiberOffer, customer, { ambiguous })).toEqual({
      suppress: true,
      reasons: ['ambiguous match needing review (p=0.95, 3 candidate customers)'],
      categories: ['review'],
    });
    const weak = { candidates: 2, bestProbability: 0.4 };
    expect(screen(fiberOffer, customer, { match: null, ambiguous: weak }).reasons).toEqual(['no matching customer']);
  });

  it('rejects inconsistent thresholds and an offer without a product', () => {
    expect(() => screen(switchCampaign, customer, { options: { matchThreshold: 0.5, reviewThreshold: 0.7 } })).toThrow(
      ConfigurationError,
    );
    expect(() => screen({ kind: 'offer', product: '  ' }, customer)).toThrow(ConfigurationError);
  });
});

describe('screenTarget: reason order', () => {
  it('lists opt-out, then customer relationships by company, then product, then staleness', () => {
    const profile = profileOf(
      inB({
        status: 'active',
        lastActivity: '2018-01-01',
        products: ['Fiber 1G'],
        consent: { optedOut: true, date: '2018-01-01' },
      }),
      inA({ status: 'active', lastActivity: '2018-06-01' }),
    );
    const strict = { ...thresholds, staleSuppresses: ['winback', 'offer'] as const };
    expect(screen(winback, profile, { options: strict }).reasons).toEqual([
      'opted out in company B on 2018-01-01',
      'existing customer of A',
      'existing customer of B',
      'stale contact: last activity 2018-06-01',
    ]);
    expect(screen(fiberOffer, profile).categories).toEqual(['opted_out', 'already_holds', 'stale']);
  });
});

describe('summariseReasons', () => {
  it('counts targets per reason category', () => {
    const activeInBoth = profileOf(inA({ status: 'active', products: ['Fiber 1G'] }), inB({ status: 'active' }));
    const optedOut = profileOf(inB({ status: 'ended', consent: { optedOut: true, date: '2024-02-01' } }));
    const results = [
      screen(switchCampaign, activeInBoth),
      screen(switchCampaign, optedOut),
      screen(switchCampaign, activeInBoth, { match: { profile: activeInBoth, probability: 0.7 } }),
      screen(switchCampaign, activeInBoth, { match: null }),
      screen(switchCampaign, activeInBoth, { match: null }),
      screen(fiberOffer, activeInBoth),
    ];
    expect(summariseReasons(results)).toEqual({
      already_holds: 1,
      existing_customer_A: 1,
      existing_customer_B: 1,
      no_match: 2,
      opted_out: 1,
      possible_match: 1,
    });
    expect(Object.keys(summariseReasons(results))).toEqual([
      'already_holds',
      'existing_customer_A',
      'existing_customer_B',
      'no_match',
      'opted_out',
      'possible_match',
    ]);
  });
});
