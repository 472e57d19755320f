import type { UnifiedProfile } from '../../lambdas/core/model/profile';
import { printLine } from '../output';

export { findProfiles } from '../../lambdas/pipeline/find-profiles';

/** A profile as marketing reads it: who, whose customer, what they hold, consent, freshness. */
export function printProfile(profile: UnifiedProfile): void {
  const name = [profile.name.preferredFirst?.value, profile.name.last?.value].filter(Boolean).join(' ');
  const legal = profile.name.legalFirst?.value;
  printLine(`${profile.profileId}  ${name}${legal && legal !== profile.name.preferredFirst?.value ? ` (legal first name ${legal})` : ''}`);
  for (const relationship of profile.relationships) {
    printLine(
      `  company ${relationship.company}: ${relationship.status}, customer since ${relationship.customerSince ?? '?'}, last activity ${relationship.lastActivity ?? '?'}`,
    );
    if (relationship.productsHeld.length > 0) printLine(`    holds: ${relationship.productsHeld.join(', ')}`);
    if (relationship.productsEnded.length > 0) printLine(`    ended: ${relationship.productsEnded.join(', ')}`);
  }
  printLine(`  email: ${profile.bestEmail ?? '-'}   phone: ${profile.bestPhone ?? '-'}`);
  printLine(`  consent: ${profile.consent.optedOut ? profile.consent.reason : 'no opt-out on record'}`);
  printLine(`  last activity: ${profile.lastActivity ?? 'unknown'}${profile.stale ? ' (stale)' : ''}`);
  printLine(`  records: ${profile.members.map((m) => `${m.source}:${m.recordId}`).join(', ')}`);
  if (profile.review.length > 0) printLine(`  review: ${profile.review.join('; ')}`);
}
