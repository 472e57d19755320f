import type { UnifiedProfile } from '../model/profile';
import { profileCandidateKeys } from '../matching/candidate-keys';
import { toFeatures } from '../matching/features';
import type { ProfileMember } from './members';
import { nonBlank, uniqueSorted } from './text';

/**
 * Name lookup keys from every member, not only the surviving name, so a search by a maiden name or a nickname's
 * canonical form still finds the profile: "<canonical first> <last>" and "<last>" per member, plus the phonetic
 * candidate keys screening uses to find a profile despite typos and swapped fields (see candidate-keys.ts).
 * Kept local until the normaliser exports a shared `nameKey`; both must produce the same strings.
 */
export function nameKeys(members: readonly ProfileMember[]): string[] {
  const keys: string[] = [];
  for (const { record } of members) {
    keys.push(...profileCandidateKeys(toFeatures(record, 0)));
    const last = record.name.last?.trim();
    if (!nonBlank(last)) continue;
    keys.push(last);
    const first = record.name.firstCanonical?.trim();
    if (nonBlank(first)) keys.push(`${first} ${last}`);
  }
  return uniqueSorted(keys);
}

export function profileKeys(
  members: readonly ProfileMember[],
  emailKeys: readonly string[],
  phoneKeys: readonly string[],
): UnifiedProfile['keys'] {
  return { emails: uniqueSorted(emailKeys), phones: uniqueSorted(phoneKeys), nameKeys: nameKeys(members) };
}
