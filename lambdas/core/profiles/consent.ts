import type { ProfileConsent } from '../model/profile';
import type { ProfileMember } from './members';
import { compareDateAscending, toIsoDay } from './dates';
import type { OriginComparator } from './survivorship';
import { compareText } from './text';

export const NOT_OPTED_OUT: Readonly<ProfileConsent> = Object.freeze({
  optedOut: false,
  reason: null,
  source: null,
  recordId: null,
  date: null,
});

export function optOutReason(company: string, source: string, recordId: string, date: string | null): string {
  const where = `opted out in company ${company} (${source} record ${recordId})`;
  return date === null ? `${where}, date not recorded` : `${where} on ${date}`;
}

/**
 * Most restrictive wins: one opt-out in any member record opts the whole profile out, and no opt-in anywhere
 * (in the other company, or later in the same one) overrides it, because we cannot tell a renewed consent from
 * a data error and mailing after an opt-out is the failure that costs most. The opt-out cited is the earliest
 * dated one (the obligation runs from then); undated ones are cited only when none is dated.
 */
export function resolveConsent(members: readonly ProfileMember[], bySource: OriginComparator): ProfileConsent {
  const optOuts = members
    .filter(({ record }) => record.consent.optedOut === true)
    .map((member) => ({ member, date: toIsoDay(member.record.consent.date) }))
    .sort(
      (a, b) =>
        compareDateAscending(a.date, b.date) ||
        bySource(a.member.origin, b.member.origin) ||
        compareText(a.member.origin.key, b.member.origin.key),
    );
  if (optOuts.length === 0) return { ...NOT_OPTED_OUT };
  const { member, date } = optOuts[0];
  const { company, source, recordId } = member.origin;
  return { optedOut: true, reason: optOutReason(company, source, recordId, date), source, recordId, date };
}
