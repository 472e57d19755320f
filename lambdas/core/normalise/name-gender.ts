import { getGender } from 'gender-detection-from-name';

/**
 * The gender a first name usually carries (MIT-licensed name lists of gender-detection-from-name), or null when the
 * name is unknown or used for both. Twins are often given names one letter apart across genders (Carl and Carol,
 * Daniel and Danielle); this is the signal that tells them apart from a typo.
 */
export type NameGender = 'female' | 'male';

const cache = new Map<string, NameGender | null>();

export function nameGender(first: string | null): NameGender | null {
  if (first === null || first.length < 2) return null;
  let gender = cache.get(first);
  if (gender === undefined) {
    const found = getGender(first, 'en');
    const fallback = found === 'unknown' ? getGender(first) : found;
    gender = fallback === 'unknown' ? null : fallback;
    cache.set(first, gender);
  }
  return gender;
}
