import type { UnifiedProfile } from '../model/profile';
import type { CustomerRecord } from '../model/record';
import { normalisePersonName } from '../normalise/names';
import { toFeatures, type MatchFeatures } from '../matching/features';

/**
 * A published profile seen as records the matching engine can compare a campaign target with: one view per first
 * name the person is known by (the preferred name and the legal name), each with every known email and phone, the
 * surviving address and date of birth.
 */
export function profileViews(profile: UnifiedProfile): MatchFeatures[] {
  const firsts = [profile.name.preferredFirst?.value ?? null, profile.name.legalFirst?.value ?? null].filter(
    (value, i, all): value is string => value !== null && all.indexOf(value) === i,
  );
  const address = profile.address?.value;
  return (firsts.length > 0 ? firsts : [null]).map((first, i) => {
    const record: CustomerRecord = {
      key: `profile:${profile.profileId}`,
      source: 'profile',
      company: 'profile',
      recordId: profile.profileId,
      line: 0,
      name: normalisePersonName({
        first: first ?? undefined,
        middle: profile.name.middle?.value,
        last: profile.name.last?.value,
        suffix: profile.name.suffix?.value,
      }),
      emails: profile.keys.emails,
      emailsDisplay: profile.keys.emails,
      phones: profile.keys.phones,
      address: {
        number: address?.number ?? null,
        street: address?.street ?? null,
        unit: address?.unit ?? null,
        city: address?.city ?? null,
        state: address?.state ?? null,
        postcode: address?.postcode ?? null,
      },
      dateOfBirth: profile.dateOfBirth?.value ?? null,
      identifiers: {},
      customerSince: null,
      lastActivity: profile.lastActivity,
      status: null,
      products: [],
      consent: { optedOut: null, date: null },
      warnings: [],
    };
    return toFeatures(record, i);
  });
}
