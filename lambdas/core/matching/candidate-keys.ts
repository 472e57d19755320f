import type { MatchFeatures } from './features';

/**
 * Lookup keys that find a published profile for a campaign target despite typos and swapped name fields, the way
 * blocking rules find candidate pairs in a merge: name sounds (Double Metaphone) and surname or first-name sound
 * with postcode. Profiles are indexed under the keys of all their member records; a target is looked up under its
 * own keys plus its name sounds in swapped order. Prefixes keep them apart from plain name keys ("robert smith").
 */
export function profileCandidateKeys(record: MatchFeatures): string[] {
  const keys: string[] = [];
  if (record.firstSound !== null && record.lastSound !== null) keys.push(`~${record.firstSound}|${record.lastSound}`);
  if (record.lastSound !== null && record.postcode !== null) keys.push(`@${record.lastSound}|${record.postcode}`);
  if (record.firstSound !== null && record.postcode !== null) keys.push(`@${record.firstSound}|${record.postcode}`);
  return keys;
}

export function targetCandidateKeys(target: MatchFeatures): string[] {
  const keys = profileCandidateKeys(target);
  if (target.firstSound !== null && target.lastSound !== null) keys.push(`~${target.lastSound}|${target.firstSound}`);
  return [...new Set(keys)];
}
