import { targetCandidateKeys } from '../core/matching/candidate-keys';
import type { MatchFeatures } from '../core/matching/features';
import type { UnifiedProfile } from '../core/model/profile';
import type { ProfileStore } from '../storage/profile-store';
import type { PipelineDeps } from './deps';
import { runProfiles } from './run-files';

/**
 * Where screening finds candidate profiles for a target: by email, phone, plain name key and the phonetic
 * candidate keys. Two implementations over the same published profiles: the profile store (a few queries per
 * target, for small lists through the API) and an index built once from the run's published profile files (for
 * lists of thousands, where a query per key per target would dominate).
 */
export interface CandidateSource {
  candidates(target: MatchFeatures): Promise<UnifiedProfile[]>;
}

function lookupKeys(target: MatchFeatures): { emails: readonly string[]; phones: readonly string[]; names: string[] } {
  const names = targetCandidateKeys(target);
  if (target.firstCanonical && target.last) names.push(`${target.firstCanonical} ${target.last}`);
  return { emails: target.emails, phones: target.phones, names };
}

function uniqueById(lists: readonly (readonly UnifiedProfile[])[]): UnifiedProfile[] {
  const byId = new Map<string, UnifiedProfile>();
  for (const list of lists) for (const profile of list) byId.set(profile.profileId, profile);
  return [...byId.values()];
}

export function storeCandidateSource(store: ProfileStore): CandidateSource {
  return {
    async candidates(target) {
      const keys = lookupKeys(target);
      return uniqueById(
        await Promise.all([
          ...keys.emails.map((email) => store.findByEmail(email)),
          ...keys.phones.map((phone) => store.findByPhone(phone)),
          ...keys.names.map((name) => store.findByNameKey(name)),
        ]),
      );
    },
  };
}

/** Reads the run's published profiles once and indexes them by every lookup key. */
export async function indexedCandidateSource(deps: PipelineDeps, runId: string): Promise<CandidateSource> {
  const index = new Map<string, UnifiedProfile[]>();
  const add = (key: string, profile: UnifiedProfile): void => {
    const list = index.get(key);
    if (list) list.push(profile);
    else index.set(key, [profile]);
  };
  for await (const profile of runProfiles(deps, runId)) {
    for (const email of profile.keys.emails) add(`E#${email}`, profile);
    for (const phone of profile.keys.phones) add(`T#${phone}`, profile);
    for (const name of profile.keys.nameKeys) add(`N#${name}`, profile);
  }
  return {
    async candidates(target) {
      const keys = lookupKeys(target);
      return uniqueById([
        ...keys.emails.map((email) => index.get(`E#${email}`) ?? []),
        ...keys.phones.map((phone) => index.get(`T#${phone}`) ?? []),
        ...keys.names.map((name) => index.get(`N#${name}`) ?? []),
      ]);
    },
  };
}
