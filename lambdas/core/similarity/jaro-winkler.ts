/**
 * Jaro and Jaro-Winkler similarity, as used by Splink's name comparisons: 1 for identical strings, 0 when nothing
 * matches. The Winkler prefix boost (0.1 per shared leading character, at most 4) is only applied above 0.7 Jaro, the
 * usual threshold (rapidfuzz, jellyfish), so unrelated names are not lifted by a shared initial.
 *
 * Hot path: called for millions of pairs. Up to 32 code units the match flags are int bit masks; longer strings use
 * module-level typed arrays that grow on demand and are reused; a call allocates nothing.
 */

const BOOST_THRESHOLD = 0.7;
const MAX_PREFIX = 4;

let flagsA = new Uint8Array(64);
let flagsB = new Uint8Array(64);

function ensureCapacity(length: number): void {
  if (flagsA.length >= length) return;
  let size = flagsA.length;
  while (size < length) size *= 2;
  flagsA = new Uint8Array(size);
  flagsB = new Uint8Array(size);
}

/** Jaro similarity of two strings (compared by UTF-16 code unit), in [0, 1]. */
export function jaro(a: string, b: string): number {
  if (a === b) return 1;
  const lengthA = a.length;
  const lengthB = b.length;
  if (lengthA === 0 || lengthB === 0) return 0;
  return lengthA <= WORD_BITS && lengthB <= WORD_BITS ? jaroShort(a, b) : jaroLong(a, b);
}

const WORD_BITS = 32;

/** The Jaro formula, shared by both paths so they cannot drift apart. */
function jaroScore(matches: number, halfTranspositions: number, lengthA: number, lengthB: number): number {
  const transpositions = halfTranspositions / 2;
  return (matches / lengthA + matches / lengthB + (matches - transpositions) / matches) / 3;
}

/**
 * Jaro for strings of at most 32 code units (every name): the match flags are two int bit masks, kept in registers,
 * so nothing is cleared or written to memory. Same matching order and formula as jaroLong, so the same result.
 */
function jaroShort(a: string, b: string): number {
  const lengthA = a.length;
  const lengthB = b.length;
  const window = Math.max(0, Math.floor(Math.max(lengthA, lengthB) / 2) - 1);
  let matchedA = 0;
  let matchedB = 0;
  let matches = 0;
  for (let i = 0; i < lengthA; i++) {
    const code = a.charCodeAt(i);
    const to = Math.min(lengthB, i + window + 1);
    for (let j = Math.max(0, i - window); j < to; j++) {
      if ((matchedB & (1 << j)) === 0 && b.charCodeAt(j) === code) {
        matchedA |= 1 << i;
        matchedB |= 1 << j;
        matches++;
        break;
      }
    }
  }
  if (matches === 0) return 0;

  let halfTranspositions = 0;
  let k = 0;
  for (let i = 0; i < lengthA; i++) {
    if ((matchedA & (1 << i)) === 0) continue;
    while ((matchedB & (1 << k)) === 0) k++;
    if (a.charCodeAt(i) !== b.charCodeAt(k)) halfTranspositions++;
    k++;
  }
  return jaroScore(matches, halfTranspositions, lengthA, lengthB);
}

function jaroLong(a: string, b: string): number {
  const lengthA = a.length;
  const lengthB = b.length;
  ensureCapacity(Math.max(lengthA, lengthB));
  flagsA.fill(0, 0, lengthA);
  flagsB.fill(0, 0, lengthB);

  const window = Math.max(0, Math.floor(Math.max(lengthA, lengthB) / 2) - 1);
  let matches = 0;
  for (let i = 0; i < lengthA; i++) {
    const code = a.charCodeAt(i);
    const from = Math.max(0, i - window);
    const to = Math.min(lengthB, i + window + 1);
    for (let j = from; j < to; j++) {
      if (flagsB[j] === 0 && b.charCodeAt(j) === code) {
        flagsA[i] = 1;
        flagsB[j] = 1;
        matches++;
        break;
      }
    }
  }
  if (matches === 0) return 0;

  let halfTranspositions = 0;
  let k = 0;
  for (let i = 0; i < lengthA; i++) {
    if (flagsA[i] === 0) continue;
    while (flagsB[k] === 0) k++;
    if (a.charCodeAt(i) !== b.charCodeAt(k)) halfTranspositions++;
    k++;
  }
  return jaroScore(matches, halfTranspositions, lengthA, lengthB);
}

/** Jaro-Winkler similarity in [0, 1]; `prefixScale` must not exceed 0.25 or scores could pass 1. */
export function jaroWinkler(a: string, b: string, prefixScale = 0.1): number {
  const similarity = jaro(a, b);
  if (similarity <= BOOST_THRESHOLD) return similarity;
  const limit = Math.min(MAX_PREFIX, a.length, b.length);
  let prefix = 0;
  while (prefix < limit && a.charCodeAt(prefix) === b.charCodeAt(prefix)) prefix++;
  return similarity + prefix * prefixScale * (1 - similarity);
}
