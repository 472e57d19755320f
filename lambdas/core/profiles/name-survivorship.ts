import type { SurvivingValue, UnifiedProfile } from '../model/profile';
import type { ProfileMember } from './members';
import {
  pickSurvivor,
  survivingValue,
  toSurvivingValue,
  type OriginComparator,
  type Sighting,
  type SurvivorshipRules,
} from './survivorship';
import { greetingForm, nonBlank, titleCase } from './text';

export type ProfileName = UnifiedProfile['name'];

/** "j" or "j." — a bare initial says nothing about the name a person answers to. */
function isInitial(normalised: string): boolean {
  return /^\p{L}\.?$/u.test(normalised.trim());
}

/** Prefers full names: an initial survives only when no member has the full name. */
function withoutInitialsIfPossible<T>(sightings: Sighting<T>[]): Sighting<T>[] {
  const full = sightings.filter((sighting) => !isInitial(sighting.sameAs));
  return full.length > 0 ? full : sightings;
}

function firstNameAsWritten(members: readonly ProfileMember[]): Sighting<string>[] {
  const sightings: Sighting<string>[] = [];
  for (const { record, origin } of members) {
    const { first, firstDisplay } = record.name;
    const written = nonBlank(firstDisplay) ? firstDisplay : nonBlank(first) ? first : null;
    if (written === null) continue;
    const sameAs = nonBlank(first) ? first.trim() : written.trim().toLowerCase();
    sightings.push({ value: greetingForm(written), sameAs, origin });
  }
  return sightings;
}

function middleNames(members: readonly ProfileMember[]): Sighting<string>[] {
  return members
    .filter(({ record }) => nonBlank(record.name.middle))
    .map(({ record, origin }) => {
      const middle = record.name.middle!.trim();
      return { value: titleCase(middle), sameAs: middle, origin };
    });
}

/**
 * The name to greet with. Only full first names compete; when every member has just an initial ("J. Arthur
 * Smith") the person goes by the middle name, and when there is no middle name either there is no greeting name
 * (null), because "Dear J" is worse than a generic greeting.
 */
function preferredFirst(
  members: readonly ProfileMember[],
  middle: Sighting<string> | null,
  rules: SurvivorshipRules,
  bySource: OriginComparator,
): SurvivingValue<string> | null {
  const written = firstNameAsWritten(members);
  const fullNames = written.filter((sighting) => !isInitial(sighting.sameAs));
  if (fullNames.length > 0) return survivingValue(fullNames, rules.preferredFirst, bySource);
  if (middle !== null && !isInitial(middle.sameAs)) return toSurvivingValue(middle);
  return null;
}

/**
 * The formal first name: the value written where it is not a nickname (normalised first equals its canonical),
 * else the canonical name spelled in title case ("Robert" when every member says "Bob").
 */
function legalFirst(
  members: readonly ProfileMember[],
  rules: SurvivorshipRules,
  bySource: OriginComparator,
): SurvivingValue<string> | null {
  const formalKeys = new Set(
    members
      .filter(({ record }) => nonBlank(record.name.first) && record.name.first === record.name.firstCanonical)
      .map(({ origin }) => origin.key),
  );
  const formal = firstNameAsWritten(members).filter((sighting) => formalKeys.has(sighting.origin.key));
  const formalFull = formal.filter((sighting) => !isInitial(sighting.sameAs));
  if (formalFull.length > 0) return survivingValue(formalFull, rules.legalFirst, bySource);

  const canonical = members
    .filter(({ record }) => nonBlank(record.name.firstCanonical))
    .map(({ record, origin }) => {
      const name = record.name.firstCanonical!.trim();
      return { value: titleCase(name), sameAs: name, origin };
    });
  if (canonical.length > 0) return survivingValue(withoutInitialsIfPossible(canonical), rules.legalFirst, bySource);
  return survivingValue(formal, rules.legalFirst, bySource);
}

function lastNames(members: readonly ProfileMember[]): Sighting<string>[] {
  const sightings: Sighting<string>[] = [];
  for (const { record, origin } of members) {
    const { last, lastDisplay } = record.name;
    // Surnames keep the source's spelling: title-casing would break "van der Berg" and "McDonald".
    const value = nonBlank(lastDisplay) ? lastDisplay.trim() : nonBlank(last) ? titleCase(last.trim()) : null;
    if (value === null) continue;
    sightings.push({ value, sameAs: nonBlank(last) ? last.trim() : value.toLowerCase(), origin });
  }
  return sightings;
}

function suffixes(members: readonly ProfileMember[]): Sighting<string>[] {
  return members
    .filter(({ record }) => nonBlank(record.name.suffix))
    .map(({ record, origin }) => {
      const suffix = record.name.suffix!.trim();
      return { value: suffix, sameAs: suffix, origin };
    });
}

function distinctCount(values: Iterable<string>): number {
  return new Set(values).size;
}

/** Inconsistencies that suggest two people were merged; worded without the values themselves. */
function nameReview(members: readonly ProfileMember[]): string[] {
  const review: string[] = [];
  const canonicals = members
    .map(({ record }) => record.name.firstCanonical?.trim() ?? '')
    .filter((name) => name !== '' && !isInitial(name));
  if (distinctCount(canonicals) > 1) review.push('members have first names that are not forms of the same name');
  if (distinctCount(suffixes(members).map((sighting) => sighting.sameAs)) > 1) {
    review.push('members have different name suffixes (possibly a parent and child merged)');
  }
  return review;
}

export function surviveName(
  members: readonly ProfileMember[],
  rules: SurvivorshipRules,
  bySource: OriginComparator,
): { name: ProfileName; review: string[] } {
  const middle = pickSurvivor(withoutInitialsIfPossible(middleNames(members)), rules.middle, bySource);
  const name: ProfileName = {
    preferredFirst: preferredFirst(members, middle, rules, bySource),
    legalFirst: legalFirst(members, rules, bySource),
    middle: middle === null ? null : toSurvivingValue(middle),
    last: survivingValue(lastNames(members), rules.last, bySource),
    suffix: survivingValue(suffixes(members), rules.suffix, bySource),
  };
  return { name, review: nameReview(members) };
}
