import { ConfigurationError } from '../core/errors';
import { forgetPerson as forget } from '../pipeline/forget';
import { badRequest, notFound, type RouteResult } from './http';
import type { RouteContext } from './router';
import { forgetBody, parseWith } from './schemas';
import type { ApiServices } from './services';

/**
 * POST /profiles/forget: the right to erasure, as `crm-merge forget` does it (lambdas/pipeline/forget.ts). The person
 * is named in the body, never in the path or query (which end up in access logs); the answer holds profile ids and
 * counts only, never the person's data.
 *
 * By email or phone the answer is 200 even when no stored profile matches: the tombstone of the key is kept anyway,
 * so later runs and screening leave the person out. By id, an id that is in no run is a 404 (nothing to erase, and
 * nothing to keep a tombstone of).
 */
export async function forgetPerson(services: ApiServices, context: RouteContext): Promise<RouteResult> {
  const body = parseWith(forgetBody, context.body);
  const given = (['email', 'phone', 'id'] as const).filter((field) => body[field] !== undefined);
  if (given.length !== 1)
    throw badRequest(`give exactly one of email, phone or id${given.length > 1 ? ` (got ${given.join(' and ')})` : ''}`, given[1] ?? 'email');
  const [by] = given;
  if (body.phoneRegion !== undefined && by !== 'phone') throw badRequest('phoneRegion: only applies to a phone', 'phoneRegion');
  let result: Awaited<ReturnType<typeof forget>>;
  try {
    result = await forget(services.deps, { [by]: body[by], ...(body.phoneRegion === undefined ? {} : { phoneRegion: body.phoneRegion }) });
  } catch (error) {
    // The normalisers' reasons ("no @", "too short") never quote the value.
    if (error instanceof ConfigurationError) throw badRequest(`${by}: ${error.message}`, by);
    throw error;
  }
  if (by === 'id' && result.removed.length === 0) throw notFound(`profile ${body.id} is in no run: nothing was erased`);
  const profiles = new Set(result.removed.flatMap((run) => run.profileIds)).size;
  return { status: 200, body: { by, erased: profiles > 0, profiles, removed: result.removed, tombstones: result.tombstones } };
}
