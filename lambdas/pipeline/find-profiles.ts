import { ConfigurationError } from '../core/errors';
import type { UnifiedProfile } from '../core/model/profile';
import { normaliseEmail } from '../core/normalise/email';
import { normalisePersonName } from '../core/normalise/names';
import { normalisePhone } from '../core/normalise/phone';
import type { PipelineDeps } from './deps';

export interface ProfileQuery {
  email?: string;
  phone?: string;
  name?: string;
  postcode?: string;
  id?: string;
  /** Region for phone numbers without a country code. */
  phoneRegion?: string;
}

/**
 * Looks up profiles of the active run by exactly one key. Inputs are normalised the way input rows are, so
 * "Bob.Smith+news@GMail.com" finds the profile holding bobsmith@gmail.com and "(555) 010-2030" finds +15550102030.
 */
export async function findProfiles(deps: PipelineDeps, query: ProfileQuery): Promise<UnifiedProfile[]> {
  const given = [query.email, query.phone, query.name, query.id].filter((v) => v !== undefined);
  if (given.length !== 1) throw new ConfigurationError('give exactly one of --email, --phone, --name or --id');
  if (query.id !== undefined) {
    const profile = await deps.profiles.getProfile(query.id);
    return profile ? [profile] : [];
  }
  if (query.email !== undefined) {
    const email = normaliseEmail(query.email);
    if (!email.ok) throw new ConfigurationError(email.reason);
    return deps.profiles.findByEmail(email.matchKey);
  }
  if (query.phone !== undefined) {
    const phone = normalisePhone(query.phone, query.phoneRegion ?? 'US');
    if (!phone.ok) throw new ConfigurationError(phone.reason);
    return deps.profiles.findByPhone(phone.e164);
  }
  const name = normalisePersonName({ full: query.name });
  if (name.last === null) throw new ConfigurationError('a name search needs at least a surname');
  const key = name.firstCanonical ? `${name.firstCanonical} ${name.last}` : name.last;
  const found = await deps.profiles.findByNameKey(key);
  if (query.postcode === undefined) return found;
  const postcode = query.postcode.replace(/\s+/g, '').toLowerCase();
  return found.filter((profile) => (profile.address?.value.postcode ?? '').replace(/\s+/g, '').toLowerCase() === postcode);
}
