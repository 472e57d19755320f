import type { SurvivingValue, UnifiedProfile } from '../model/profile';
import type { ProfileMember } from './members';
import { toIsoDay } from './dates';
import { survivingValue, type OriginComparator, type Sighting, type SurvivorshipRules } from './survivorship';
import { nonBlank } from './text';

export type ProfileAddress = NonNullable<UnifiedProfile['address']>['value'];

export function surviveDateOfBirth(
  members: readonly ProfileMember[],
  rules: SurvivorshipRules,
  bySource: OriginComparator,
): { dateOfBirth: SurvivingValue<string> | null; review: string[] } {
  const sightings: Sighting<string>[] = [];
  for (const { record, origin } of members) {
    const day = toIsoDay(record.dateOfBirth);
    if (day !== null) sightings.push({ value: day, sameAs: day, origin });
  }
  const review =
    new Set(sightings.map((sighting) => sighting.sameAs)).size > 1 ? ['members have different dates of birth'] : [];
  return { dateOfBirth: survivingValue(sightings, rules.dateOfBirth, bySource), review };
}

function cleanAddress(address: ProfileAddress): ProfileAddress {
  const clean = (part: string | null): string | null => (nonBlank(part) ? part.trim() : null);
  return {
    number: clean(address.number),
    street: clean(address.street),
    unit: clean(address.unit),
    city: clean(address.city),
    state: clean(address.state),
    postcode: clean(address.postcode),
  };
}

/**
 * The address survives whole, from one record: mixing the street of one record with the postcode of another
 * produces an address where nobody lives. Any address with at least one part counts as a value.
 */
export function surviveAddress(
  members: readonly ProfileMember[],
  rules: SurvivorshipRules,
  bySource: OriginComparator,
): SurvivingValue<ProfileAddress> | null {
  const sightings: Sighting<ProfileAddress>[] = [];
  for (const { record, origin } of members) {
    const address = cleanAddress(record.address);
    const parts = Object.values(address);
    if (parts.every((part) => part === null)) continue;
    sightings.push({ value: address, sameAs: JSON.stringify(parts), origin });
  }
  return survivingValue(sightings, rules.address, bySource);
}
