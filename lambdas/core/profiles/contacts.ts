import type { ContactPoint } from '../model/profile';
import type { ProfileMember } from './members';
import { compareDateDescending } from './dates';
import { recencyComparator, type OriginComparator, type Sighting } from './survivorship';
import { compareText, nonBlank } from './text';

export interface ContactSummary {
  /** One entry per distinct matching form, carrying the latest sighting; most recently seen first. */
  points: ContactPoint[];
  /** The matching forms, sorted: the profile store's lookup keys. */
  keys: string[];
  best: string | null;
}

/** Emails pair the contactable address with its matching form (gmail dots and +tags removed). */
function emailSightings(members: readonly ProfileMember[]): Sighting<string>[] {
  const sightings: Sighting<string>[] = [];
  for (const { record, origin } of members) {
    record.emails.forEach((matchForm, index) => {
      if (!nonBlank(matchForm)) return;
      const display = record.emailsDisplay[index];
      const value = nonBlank(display) ? display.trim() : matchForm.trim();
      sightings.push({ value, sameAs: matchForm.trim(), origin });
    });
  }
  return sightings;
}

/** E.164 phones are their own matching form. */
function phoneSightings(members: readonly ProfileMember[]): Sighting<string>[] {
  const sightings: Sighting<string>[] = [];
  for (const { record, origin } of members) {
    for (const phone of record.phones) {
      if (nonBlank(phone)) sightings.push({ value: phone.trim(), sameAs: phone.trim(), origin });
    }
  }
  return sightings;
}

function summarise(sightings: readonly Sighting<string>[], bySource: OriginComparator): ContactSummary {
  const byRecency = recencyComparator(bySource);
  const ranked = [...sightings].sort((a, b) => byRecency(a.origin, b.origin) || compareText(a.value, b.value));

  const latest = new Map<string, Sighting<string>>();
  for (const sighting of ranked) {
    if (!latest.has(sighting.sameAs)) latest.set(sighting.sameAs, sighting);
  }

  // A contact point last seen on an ended relationship is more likely abandoned; it is used only when nothing
  // else is known. The address shown is the latest spelling of that matching form.
  const bestSighting = ranked.find((sighting) => !sighting.origin.ended) ?? ranked[0];
  const best = bestSighting === undefined ? null : latest.get(bestSighting.sameAs)!.value;

  const points = [...latest.values()]
    .sort(
      (a, b) =>
        compareDateDescending(a.origin.date, b.origin.date) ||
        bySource(a.origin, b.origin) ||
        compareText(a.sameAs, b.sameAs),
    )
    .map((sighting) => ({
      value: sighting.value,
      source: sighting.origin.source,
      recordId: sighting.origin.recordId,
      date: sighting.origin.date,
    }));
  return { points, keys: [...latest.keys()].sort(compareText), best };
}

export function summariseEmails(members: readonly ProfileMember[], bySource: OriginComparator): ContactSummary {
  return summarise(emailSightings(members), bySource);
}

export function summarisePhones(members: readonly ProfileMember[], bySource: OriginComparator): ContactSummary {
  return summarise(phoneSightings(members), bySource);
}
