import { ConfigurationError } from '../../../lambdas/core/errors';
import type { CustomerRecord } from '../../../lambdas/core/model/record';
import {
  buildProfile,
  ProfileInputError,
  type ProfileOptions,
} from '../../../lambdas/core/profiles/build-profile';
import { customerRecord, shuffled, withChanges, type RecordChanges } from './fixtures';

const options: ProfileOptions = { asOf: '2025-01-01', staleAfterDays: 730, sourcePriority: ['billing', 'satellite'] };

function profileOf(members: CustomerRecord[], overrides: Partial<ProfileOptions> = {}) {
  return buildProfile({ profileId: 'p-1', runId: 'run-1', members, options: { ...options, ...overrides } });
}

// Company A runs "billing"; company B (the acquisition) runs "satellite".
const bobInA = (changes: RecordChanges = {}) =>
  withChanges(
    {
      source: 'billing',
      recordId: '17',
      company: 'A',
      name: { first: 'bob', firstCanonical: 'robert', firstDisplay: 'Bob' },
      lastActivity: '2024-05-10',
    },
    changes,
  );
const robertInB = (changes: RecordChanges = {}) =>
  withChanges(
    {
      source: 'satellite',
      recordId: '123',
      company: 'B',
      name: { first: 'robert', firstCanonical: 'robert', firstDisplay: 'Robert' },
      lastActivity: '2021-03-02',
    },
    changes,
  );

describe('buildProfile: the name the person uses', () => {
  it('greets with the nickname from the most recent record and keeps the formal name from an older one', () => {
    const profile = profileOf([robertInB(), bobInA()]);
    expect(profile.name.preferredFirst).toEqual({
      value: 'Bob',
      source: 'billing',
      recordId: '17',
      date: '2024-05-10',
    });
    expect(profile.name.legalFirst).toEqual({
      value: 'Robert',
      source: 'satellite',
      recordId: '123',
      date: '2021-03-02',
    });
  });

  it('greets with the formal name when the most recent record uses it', () => {
    const profile = profileOf([robertInB({ lastActivity: '2024-11-30' }), bobInA()]);
    expect(profile.name.preferredFirst?.value).toBe('Robert');
    expect(profile.name.preferredFirst?.source).toBe('satellite');
  });

  it('derives the legal first name from the canonical form when every member uses the nickname', () => {
    const profile = profileOf([bobInA(), bobInA({ recordId: '18', lastActivity: '2023-01-01' })]);
    expect(profile.name.preferredFirst?.value).toBe('Bob');
    expect(profile.name.legalFirst).toEqual({ value: 'Robert', source: 'billing', recordId: '17', date: '2024-05-10' });
  });

  it('falls back to customer-since for recency, and ranks undated records last', () => {
    const undated = bobInA({ lastActivity: null });
    const onlySince = robertInB({ lastActivity: null, customerSince: '2019-06-01' });
    expect(profileOf([undated, onlySince]).name.preferredFirst?.value).toBe('Robert');
  });

  it('breaks ties on the same date by source priority, then record key', () => {
    const sameDay = '2024-05-10';
    const fromB = robertInB({ lastActivity: sameDay });
    expect(profileOf([fromB, bobInA()]).name.preferredFirst?.value).toBe('Bob');
    expect(profileOf([fromB, bobInA()], { sourcePriority: ['satellite', 'billing'] }).name.preferredFirst?.value).toBe(
      'Robert',
    );
    const twin = bobInA({ recordId: '09', name: { first: 'rob', firstCanonical: 'robert', firstDisplay: 'Rob' } });
    expect(profileOf([bobInA(), twin]).name.preferredFirst).toMatchObject({ value: 'Rob', recordId: '09' });
  });

  it('title-cases names stored in capitals or lower case but keeps deliberate mixed case', () => {
    const shouting = bobInA({ name: { first: 'robert', firstCanonical: 'robert', firstDisplay: 'ROBERT' } });
    expect(profileOf([shouting]).name.preferredFirst?.value).toBe('Robert');
    const deShawn = bobInA({ name: { first: 'deshawn', firstCanonical: 'deshawn', firstDisplay: 'DeShawn' } });
    expect(profileOf([deShawn]).name.preferredFirst?.value).toBe('DeShawn');
    const accented = bobInA({ name: { first: 'jose', firstCanonical: 'jose', firstDisplay: 'José' } });
    expect(profileOf([accented]).name.legalFirst?.value).toBe('José');
  });

  it('greets a person known only by a first initial with the middle name, never with the initial', () => {
    const initialOnly = bobInA({
      name: { first: 'j', firstCanonical: 'j', firstDisplay: 'J.', middle: 'arthur', last: 'smith' },
    });
    const profile = profileOf([initialOnly]);
    expect(profile.name.preferredFirst).toMatchObject({ value: 'Arthur', recordId: '17' });
    expect(profile.name.middle?.value).toBe('Arthur');
    const noMiddle = bobInA({ name: { first: 'j', firstCanonical: 'j', firstDisplay: 'J' } });
    expect(profileOf([noMiddle]).name.preferredFirst).toBeNull();
  });

  it('prefers a full name over a more recent initial', () => {
    const recentInitial = bobInA({ name: { first: 'r', firstCanonical: 'r', firstDisplay: 'R', middle: 'j' } });
    const olderFull = robertInB({ name: { middle: 'james' } });
    const profile = profileOf([recentInitial, olderFull]);
    expect(profile.name.preferredFirst?.value).toBe('Robert');
    expect(profile.name.legalFirst?.value).toBe('Robert');
    expect(profile.name.middle).toMatchObject({ value: 'James', recordId: '123' });
  });

  it('keeps the surname as written and the suffix as its normalised code', () => {
    const profile = profileOf([
      bobInA({ name: { last: 'van der berg', lastDisplay: 'van der Berg', suffix: 'jr' } }),
      robertInB({ name: { last: 'van der berg', lastDisplay: 'VAN DER BERG' } }),
    ]);
    expect(profile.name.last?.value).toBe('van der Berg');
    expect(profile.name.suffix).toMatchObject({ value: 'jr', source: 'billing' });
  });

  it('applies configured rules per field: source priority for the surname, most frequent date of birth', () => {
    const members = [
      bobInA({ name: { last: 'smith', lastDisplay: 'Smith' }, dateOfBirth: '1971-04-03' }),
      robertInB({ name: { last: 'smyth', lastDisplay: 'Smyth' }, dateOfBirth: '1970-04-03' }),
      robertInB({ recordId: '124', lastActivity: '2020-01-01', dateOfBirth: '1970-04-03' }),
    ];
    const byDefault = profileOf(members);
    expect(byDefault.name.last?.value).toBe('Smith');
    expect(byDefault.dateOfBirth?.value).toBe('1971-04-03');

    const configured = profileOf(members, {
      sourcePriority: ['satellite', 'billing'],
      rules: { last: 'sourcePriority', dateOfBirth: 'mostFrequent' },
    });
    expect(configured.name.last).toEqual({ value: 'Smyth', source: 'satellite', recordId: '123', date: '2021-03-02' });
    expect(configured.dateOfBirth).toEqual({
      value: '1970-04-03',
      source: 'satellite',
      recordId: '123',
      date: '2021-03-02',
    });
    expect(configured.review).toContain('members have different dates of birth');
  });

  it('flags members whose names suggest two different people', () => {
    const roberta = robertInB({ name: { first: 'roberta', firstCanonical: 'roberta', firstDisplay: 'Roberta' } });
    expect(profileOf([bobInA(), roberta]).review).toContain(
      'members have first names that are not forms of the same name',
    );
    const senior = robertInB({ name: { suffix: 'sr' } });
    expect(profileOf([bobInA({ name: { suffix: 'jr' } }), senior]).review).toContain(
      'members have different name suffixes (possibly a parent and child merged)',
    );
    expect(profileOf([bobInA(), robertInB()]).review).toEqual([]);
  });
});

describe('buildProfile: contact points', () => {
  it('keeps every email once per matching form, showing the latest spelling and sighting', () => {
    const profile = profileOf([
      bobInA({ emails: ['bobsmith@gmail.com'], emailsDisplay: ['bob.smith+shop@gmail.com'] }),
      robertInB({
        emails: ['bobsmith@gmail.com', 'rsmith@work.example'],
        emailsDisplay: ['bobsmith@gmail.com', 'rsmith@work.example'],
      }),
    ]);
    expect(profile.emails).toEqual([
      { value: 'bob.smith+shop@gmail.com', source: 'billing', recordId: '17', date: '2024-05-10' },
      { value: 'rsmith@work.example', source: 'satellite', recordId: '123', date: '2021-03-02' },
    ]);
    expect(profile.keys.emails).toEqual(['bobsmith@gmail.com', 'rsmith@work.example']);
    expect(profile.bestEmail).toBe('bob.smith+shop@gmail.com');
  });

  it('keeps the latest sighting whatever the record order', () => {
    const profile = profileOf([
      bobInA({ lastActivity: '2019-01-01', emails: ['bobsmith@gmail.com'], emailsDisplay: ['bob.smith@gmail.com'] }),
      robertInB({ lastActivity: '2023-07-01', emails: ['bobsmith@gmail.com'], emailsDisplay: ['BobSmith@gmail.com'] }),
    ]);
    expect(profile.emails).toEqual([
      { value: 'BobSmith@gmail.com', source: 'satellite', recordId: '123', date: '2023-07-01' },
    ]);
  });

  it('prefers contact points from relationships that have not ended, even when older', () => {
    const profile = profileOf([
      bobInA({
        status: 'ended',
        emails: ['old@a.example'],
        emailsDisplay: ['old@a.example'],
        phones: ['+15550001111'],
      }),
      robertInB({
        status: 'active',
        emails: ['now@b.example'],
        emailsDisplay: ['now@b.example'],
        phones: ['+15550002222'],
      }),
    ]);
    expect(profile.bestEmail).toBe('now@b.example');
    expect(profile.bestPhone).toBe('+15550002222');
    expect(profile.emails.map((email) => email.value)).toEqual(['old@a.example', 'now@b.example']);
  });

  it('falls back to an ended relationship when it is all there is', () => {
    const profile = profileOf([bobInA({ status: 'ended', phones: ['+15550001111'] })]);
    expect(profile.bestPhone).toBe('+15550001111');
    expect(profileOf([bobInA()]).bestEmail).toBeNull();
  });

  it('de-duplicates phones and keeps the latest sighting', () => {
    const profile = profileOf([bobInA({ phones: ['+15550001111'] }), robertInB({ phones: ['+15550001111'] })]);
    expect(profile.phones).toEqual([{ value: '+15550001111', source: 'billing', recordId: '17', date: '2024-05-10' }]);
    expect(profile.keys.phones).toEqual(['+15550001111']);
  });
});

describe('buildProfile: relationships and products', () => {
  it('summarises each company: earliest customer-since, latest activity, status', () => {
    const profile = profileOf([
      bobInA({ status: 'active', customerSince: '2015-02-01', lastActivity: '2024-05-10' }),
      bobInA({ recordId: '18', status: 'ended', customerSince: '2012-07-01', lastActivity: '2016-01-01' }),
      robertInB({ status: 'ended', customerSince: '2018-01-01' }),
      customerRecord({ source: 'legacy', recordId: '9', company: 'C', lastActivity: '2022-02-02' }),
    ]);
    expect(profile.relationships.map(({ company, customerSince, lastActivity, status }) => ({
      company,
      customerSince,
      lastActivity,
      status,
    }))).toEqual([
      { company: 'A', customerSince: '2012-07-01', lastActivity: '2024-05-10', status: 'active' },
      { company: 'B', customerSince: '2018-01-01', lastActivity: '2021-03-02', status: 'ended' },
      { company: 'C', customerSince: null, lastActivity: '2022-02-02', status: 'unknown' },
    ]);
  });

  it('never lists an ended product as held, even when another company has an active record', () => {
    const profile = profileOf([
      bobInA({ status: 'active', products: ['Mobile Unlimited'] }),
      robertInB({ status: 'ended', products: ['Fiber 1G'] }),
    ]);
    const [a, b] = profile.relationships;
    expect(a).toMatchObject({ company: 'A', status: 'active', productsHeld: ['Mobile Unlimited'], productsEnded: [] });
    expect(b).toMatchObject({ company: 'B', status: 'ended', productsHeld: [], productsEnded: ['Fiber 1G'] });
  });

  it('judges products per record within one company, not by the company status', () => {
    const profile = profileOf([
      bobInA({ status: 'active', products: ['Mobile Unlimited'] }),
      bobInA({ recordId: '18', status: 'ended', products: ['Fiber 1G'], lastActivity: '2019-01-01' }),
    ]);
    expect(profile.relationships[0]).toMatchObject({
      status: 'active',
      productsHeld: ['Mobile Unlimited'],
      productsEnded: ['Fiber 1G'],
    });
  });

  it('treats a product held in A and ended in B as held, and as ended nowhere', () => {
    const profile = profileOf([
      bobInA({ status: 'active', products: ['Fiber 1G'] }),
      robertInB({ status: 'ended', products: ['FIBER 1G', 'TV Basic'] }),
    ]);
    const [a, b] = profile.relationships;
    expect(a.productsHeld).toEqual(['Fiber 1G']);
    expect(b.productsEnded).toEqual(['TV Basic']);
  });

  it('merges spellings of one product, keeping the most recent spelling', () => {
    const profile = profileOf([
      bobInA({ status: 'active', products: ['Fiber 1G'] }),
      bobInA({ recordId: '5', status: 'active', products: ['fiber  1g', ' '], lastActivity: '2020-01-01' }),
    ]);
    expect(profile.relationships[0].productsHeld).toEqual(['Fiber 1G']);
  });

  it('counts products of records without a status as held (we cannot tell they ended)', () => {
    const profile = profileOf([bobInA({ status: null, products: ['Mobile Unlimited'] })]);
    expect(profile.relationships[0]).toMatchObject({ status: 'unknown', productsHeld: ['Mobile Unlimited'] });
  });
});

describe('buildProfile: consent', () => {
  it('opts the profile out when B says so, whatever A says', () => {
    const profile = profileOf([
      bobInA({ consent: { optedOut: false, date: '2024-05-01' } }),
      robertInB({ consent: { optedOut: true, date: '2024-02-01' } }),
    ]);
    expect(profile.consent).toEqual({
      optedOut: true,
      reason: 'opted out in company B (satellite record 123) on 2024-02-01',
      source: 'satellite',
      recordId: '123',
      date: '2024-02-01',
    });
  });

  it('cites the earliest dated opt-out, and says when the date is unknown', () => {
    const later = bobInA({ consent: { optedOut: true, date: '2024-03-01' } });
    const earlier = robertInB({ consent: { optedOut: true, date: '2023-08-15' } });
    expect(profileOf([later, earlier]).consent).toMatchObject({ recordId: '123', date: '2023-08-15' });

    const undated = robertInB({ consent: { optedOut: true, date: null } });
    expect(profileOf([undated]).consent.reason).toBe(
      'opted out in company B (satellite record 123), date not recorded',
    );
    expect(profileOf([later, undated]).consent.recordId).toBe('17');
  });

  it('is not opted out when nobody says so', () => {
    expect(profileOf([bobInA({ consent: { optedOut: false, date: null } }), robertInB()]).consent).toEqual({
      optedOut: false,
      reason: null,
      source: null,
      recordId: null,
      date: null,
    });
  });
});

describe('buildProfile: activity and staleness', () => {
  // 2025-01-01 minus 730 days is 2023-01-02 (2024 is a leap year).
  it('is fresh at exactly staleAfterDays and stale one day later', () => {
    expect(profileOf([bobInA({ lastActivity: '2023-01-02' })]).stale).toBe(false);
    expect(profileOf([bobInA({ lastActivity: '2023-01-01' })]).stale).toBe(true);
    expect(profileOf([bobInA({ lastActivity: '2023-01-01' })], { staleAfterDays: 731 }).stale).toBe(false);
  });

  it('defaults to 730 days', () => {
    const { staleAfterDays: _ignored, ...withoutStale } = options;
    const build = (lastActivity: string) =>
      buildProfile({ profileId: 'p', runId: 'r', members: [bobInA({ lastActivity })], options: withoutStale }).stale;
    expect(build('2023-01-02')).toBe(false);
    expect(build('2023-01-01')).toBe(true);
  });

  it('reports the latest activity anywhere and counts a recent customer-since as fresh', () => {
    const profile = profileOf([
      bobInA({ lastActivity: '2019-03-02' }),
      robertInB({ lastActivity: '2018-01-01', customerSince: '2024-10-01' }),
    ]);
    expect(profile.lastActivity).toBe('2019-03-02');
    expect(profile.stale).toBe(false);
  });

  it('treats a profile without any date as stale and asks for review', () => {
    const profile = profileOf([bobInA({ lastActivity: null, customerSince: null })]);
    expect(profile.lastActivity).toBeNull();
    expect(profile.stale).toBe(true);
    expect(profile.review).toContain('no member has an activity or customer-since date; treated as stale');
  });

  it('ignores impossible dates and future dates are flagged', () => {
    const profile = profileOf([bobInA({ lastActivity: '2023-02-30' }), robertInB({ lastActivity: '2026-01-01' })]);
    expect(profile.lastActivity).toBe('2026-01-01');
    expect(profile.review).toEqual([
      'a member has a date that is not a real calendar date; it was ignored',
      'a member has an activity or customer-since date after the run date',
    ]);
  });

  it('accepts ISO timestamps as their calendar day', () => {
    expect(profileOf([bobInA({ lastActivity: '2024-05-10T23:59:00Z' })]).lastActivity).toBe('2024-05-10');
  });
});

describe('buildProfile: keys, members and determinism', () => {
  const household = (): CustomerRecord[] => [
    bobInA({
      status: 'active',
      customerSince: '2015-02-01',
      products: ['Mobile Unlimited', 'Fiber 1G'],
      emails: ['bobsmith@gmail.com'],
      emailsDisplay: ['Bob.Smith@gmail.com'],
      phones: ['+15550001111'],
      address: { number: '12', street: 'main st', unit: null, city: 'springfield', state: 'il', postcode: '62704' },
      consent: { optedOut: false, date: '2024-01-01' },
    }),
    bobInA({ recordId: '18', status: 'ended', products: ['TV Basic'], lastActivity: '2024-05-10' }),
    robertInB({
      status: 'ended',
      products: ['Fiber 1G'],
      emails: ['bobsmith@gmail.com', 'r.smith@work.example'],
      emailsDisplay: ['bobsmith@gmail.com', 'r.smith@work.example'],
      phones: ['+15550002222'],
      dateOfBirth: '1970-04-03',
      consent: { optedOut: true, date: '2024-02-01' },
    }),
    robertInB({ recordId: '124', lastActivity: '2024-05-10', name: { middle: 'james' }, phones: ['+15550001111'] }),
    customerRecord({
      source: 'legacy',
      recordId: '0042',
      company: 'B',
      name: { first: 'rob', firstCanonical: 'robert', firstDisplay: 'Rob', last: 'smith' },
      lastActivity: '2024-05-10',
      status: 'active',
      products: ['fiber 1g'],
    }),
  ];

  it('builds sorted lookup keys from every member', () => {
    const profile = profileOf(household());
    expect(profile.keys).toEqual({
      emails: ['bobsmith@gmail.com', 'r.smith@work.example'],
      phones: ['+15550001111', '+15550002222'],
      // Plain name keys, then the phonetic candidate keys screening looks targets up by (sounds of "robert" and
      // "smith", and each with the postcode).
      nameKeys: ['@RPRT|62704', '@SM0|62704', 'robert smith', 'smith', '~RPRT|SM0'],
    });
    expect(profile.members).toEqual([
      { source: 'billing', recordId: '17', company: 'A' },
      { source: 'billing', recordId: '18', company: 'A' },
      { source: 'legacy', recordId: '0042', company: 'B' },
      { source: 'satellite', recordId: '123', company: 'B' },
      { source: 'satellite', recordId: '124', company: 'B' },
    ]);
  });

  it('produces a byte-identical profile for any member order', () => {
    const expected = JSON.stringify(profileOf(household()));
    for (let seed = 1; seed <= 25; seed += 1) {
      expect(JSON.stringify(profileOf(shuffled(household(), seed)))).toBe(expected);
    }
  });

  it('drops a record listed twice and says so', () => {
    const profile = profileOf([bobInA(), bobInA(), robertInB()]);
    expect(profile.members).toHaveLength(2);
    expect(profile.review).toContain('the cluster listed the same record more than once');
  });

  it('survives the address whole from one record', () => {
    const profile = profileOf([
      bobInA({ address: { number: null, street: null, unit: null, city: 'springfield', state: null, postcode: null } }),
      robertInB({
        address: { number: '12', street: 'main st', unit: '4', city: 'shelbyville', state: 'il', postcode: '62565' },
      }),
    ]);
    expect(profile.address).toEqual({
      value: { number: null, street: null, unit: null, city: 'springfield', state: null, postcode: null },
      source: 'billing',
      recordId: '17',
      date: '2024-05-10',
    });
  });
});

describe('buildProfile: invalid input', () => {
  it('rejects an empty cluster and bad options', () => {
    expect(() => profileOf([])).toThrow(ProfileInputError);
    expect(() => profileOf([bobInA()], { asOf: 'yesterday' })).toThrow(ConfigurationError);
    expect(() => profileOf([bobInA()], { staleAfterDays: -1 })).toThrow(ConfigurationError);
    expect(() => profileOf([bobInA()], { rules: { last: 'loudest' as never } })).toThrow(/survivorship rule for last/);
  });
});
