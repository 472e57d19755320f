import { ConfigurationError } from '../core/errors';
import { findProfiles } from '../pipeline/find-profiles';
import { badRequest, notFound, type RouteResult } from './http';
import { searchByName, type ScoredProfile } from './name-search';
import type { RouteContext } from './router';
import { intParam, MAX_SEARCH_RESULTS, parseWith, searchProfilesBody, type SearchProfilesBody } from './schemas';
import type { ApiServices } from './services';

/** Profile ids as lambdas/core/profiles/profile-id.ts makes them (checked loosely: P + hex today). */
export const PROFILE_ID_PATTERN = /^[A-Za-z0-9_-]{1,64}$/;
export const DEFAULT_SEARCH_RESULTS = 10;

/** GET /profiles/{id} */
export async function getProfile(services: ApiServices, context: RouteContext): Promise<RouteResult> {
  const id = context.params.id;
  if (!PROFILE_ID_PATTERN.test(id)) throw badRequest('id: not a profile id', 'id');
  const profile = await services.deps.profiles.getProfile(id);
  if (!profile) throw notFound(`profile ${id} is not in the active run`);
  return { status: 200, body: { profile } };
}

/**
 * One search: exactly one of email, phone or name; postcode only narrows a name search. Email and phone are exact
 * (after normalisation, like input rows); a name is fuzzy (lambdas/api/name-search.ts).
 */
async function search(services: ApiServices, query: SearchProfilesBody): Promise<RouteResult> {
  const given = (['email', 'phone', 'name'] as const).filter((field) => query[field] !== undefined);
  if (given.length !== 1)
    throw badRequest(`give exactly one of email, phone or name${given.length > 1 ? ` (got ${given.join(' and ')})` : ''}`, given[1] ?? 'email');
  const [by] = given;
  if (query.postcode !== undefined && by !== 'name') throw badRequest('postcode: only narrows a name search', 'postcode');
  if (query.phoneRegion !== undefined && by !== 'phone') throw badRequest('phoneRegion: only applies to a phone search', 'phoneRegion');
  const limit = query.limit ?? DEFAULT_SEARCH_RESULTS;
  let results: ScoredProfile[];
  if (by === 'name') {
    results = await searchByName(services.deps, { name: query.name as string, postcode: query.postcode, limit });
  } else {
    try {
      const found = await findProfiles(services.deps, by === 'email' ? { email: query.email } : { phone: query.phone, phoneRegion: query.phoneRegion });
      results = found.slice(0, limit).map((profile) => ({ score: 1, profile }));
    } catch (error) {
      // The normalisers' reasons ("no @", "too short") never quote the value.
      if (error instanceof ConfigurationError) throw badRequest(`${by}: ${error.message}`, by);
      throw error;
    }
  }
  return { status: 200, body: { by, count: results.length, results } };
}

/** POST /profiles/search: the documented form (the query stays out of URLs and therefore out of any log). */
export async function searchProfiles(services: ApiServices, context: RouteContext): Promise<RouteResult> {
  return search(services, parseWith(searchProfilesBody, context.body));
}

/** GET /profiles?email= | ?phone= | ?name=&postcode=: the same search from the query string. */
export async function findProfilesByQuery(services: ApiServices, context: RouteContext): Promise<RouteResult> {
  const { limit: _limit, ...rest } = context.query;
  void _limit;
  const limit = context.query.limit === undefined ? undefined : intParam(context.query, 'limit', 1, MAX_SEARCH_RESULTS, DEFAULT_SEARCH_RESULTS);
  return search(services, parseWith(searchProfilesBody, { ...rest, ...(limit === undefined ? {} : { limit }) }, 'query'));
}
