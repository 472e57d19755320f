import Fuse from 'fuse.js';
import type { UnifiedProfile } from '../core/model/profile';
import { normalisePersonName } from '../core/normalise/names';
import { foldCase, stripAccents } from '../core/normalise/text';
import type { PipelineDeps } from '../pipeline/deps';
import { badRequest } from './http';

/**
 * Fuzzy name search: candidates come from the profile table's name lookup keys ("<canonical first> <surname>" and
 * "<surname>", see lambdas/core/profiles/keys.ts), never from a scan; fuse.js ranks them against the typed name.
 *
 * A typo in the first name is found through the surname key. A typo in the surname is found through surname
 * variants one edit away (a letter dropped, doubled, or two neighbours swapped; a vowel or "y" changed, added or
 * dropped): each is one key lookup, and they are only tried when the exact keys give no good candidate. A postcode,
 * when given, keeps only profiles at that postcode. A one-word name is taken as a surname.
 */

export interface ScoredProfile {
  /** 0..1, 1 = the same name (1 - fuse.js score). */
  score: number;
  profile: UnifiedProfile;
}

/** A candidate with a score at or above this ends the search before surname variants are tried. */
export const GOOD_ENOUGH_SCORE = 0.8;
/** Results below this are not returned. */
export const MIN_SCORE = 0.4;
const LOOKUP_CONCURRENCY = 16;
const VARIANT_LETTERS = 'aeiouy';

const fold = (text: string): string => foldCase(stripAccents(text)).replace(/\s+/g, ' ').trim();

/** Surname keys one likely typo away from `last` (the key itself excluded), in a stable order. */
export function surnameVariants(last: string): string[] {
  const variants = new Set<string>();
  const add = (value: string): void => {
    if (value.length >= 2 && value !== last) variants.add(value);
  };
  for (let i = 0; i < last.length; i++) {
    add(last.slice(0, i) + last.slice(i + 1)); // dropped a letter (typed one too many)
    add(last.slice(0, i + 1) + last[i] + last.slice(i + 1)); // doubled a letter
    if (i + 1 < last.length) add(last.slice(0, i) + last[i + 1] + last[i] + last.slice(i + 2)); // swapped neighbours
    for (const letter of VARIANT_LETTERS) add(last.slice(0, i) + letter + last.slice(i + 1)); // vowel changed
  }
  for (let i = 0; i <= last.length; i++) for (const letter of VARIANT_LETTERS) add(last.slice(0, i) + letter + last.slice(i)); // vowel missing
  return [...variants];
}

async function lookUpAll(deps: PipelineDeps, keys: readonly string[], into: Map<string, UnifiedProfile>): Promise<void> {
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < keys.length) {
      const key = keys[next++];
      for (const profile of await deps.profiles.findByNameKey(key)) into.set(profile.profileId, profile);
    }
  };
  await Promise.all(Array.from({ length: Math.min(LOOKUP_CONCURRENCY, keys.length) }, worker));
}

/** The names a profile answers to: greeting name and legal name with the surname, both with the middle name too. */
function namesOf(profile: UnifiedProfile): string[] {
  const last = profile.name.last?.value ?? '';
  const middle = profile.name.middle?.value;
  const names = new Set<string>();
  for (const first of [profile.name.preferredFirst?.value, profile.name.legalFirst?.value]) {
    if (!first) continue;
    names.add(fold(`${first} ${last}`));
    if (middle) names.add(fold(`${first} ${middle} ${last}`));
  }
  if (names.size === 0 && last) names.add(fold(last));
  return [...names];
}

function rank(query: string, candidates: Iterable<UnifiedProfile>): ScoredProfile[] {
  const documents = [...candidates].map((profile) => ({ profile, names: namesOf(profile) }));
  const fuse = new Fuse(documents, {
    keys: ['names'],
    includeScore: true,
    ignoreLocation: true,
    ignoreDiacritics: true,
    threshold: 1 - MIN_SCORE,
    shouldSort: true,
  });
  return fuse
    .search(query)
    .map((hit) => ({ score: Math.round((1 - (hit.score ?? 1)) * 1000) / 1000, profile: hit.item.profile }))
    .filter((hit) => hit.score >= MIN_SCORE)
    .sort((a, b) => b.score - a.score || a.profile.profileId.localeCompare(b.profile.profileId));
}

function samePostcode(profile: UnifiedProfile, postcode: string): boolean {
  const normal = (value: string): string => value.replace(/\s+/g, '').toLowerCase();
  return normal(profile.address?.value.postcode ?? '') === normal(postcode);
}

export async function searchByName(
  deps: PipelineDeps,
  query: { name: string; postcode?: string; limit: number },
): Promise<ScoredProfile[]> {
  let name = normalisePersonName({ full: query.name });
  // One word ("Robinson") parses as a first name; in a search it is the surname (a first name alone finds no key).
  if (name.last === null && name.first !== null && name.middle === null) name = normalisePersonName({ last: query.name });
  if (name.last === null) throw badRequest('name: a name search needs at least a surname', 'name');
  const typed = fold([name.first, name.middle, name.last].filter(Boolean).join(' '));
  const keep = (scored: ScoredProfile[]): ScoredProfile[] =>
    (query.postcode === undefined ? scored : scored.filter((hit) => samePostcode(hit.profile, query.postcode as string))).slice(0, query.limit);

  const candidates = new Map<string, UnifiedProfile>();
  const exactKeys = [name.last];
  if (name.firstCanonical) exactKeys.unshift(`${name.firstCanonical} ${name.last}`);
  // "Smith John": the surname typed first.
  if (name.first && !name.first.includes(' ')) exactKeys.push(name.first);
  await lookUpAll(deps, exactKeys, candidates);
  let ranked = keep(rank(typed, candidates.values()));
  if (ranked.length > 0 && ranked[0].score >= GOOD_ENOUGH_SCORE) return ranked;

  await lookUpAll(deps, surnameVariants(name.last), candidates);
  ranked = keep(rank(typed, candidates.values()));
  return ranked;
}
