import { jaro } from '../../../lambdas/core/similarity/jaro-winkler';
import { damerauLevenshtein } from '../../../lambdas/core/similarity/levenshtein';
import { referenceOsa } from '../../support/reference-distance';

/**
 * Both similarity functions take a fast path for short strings (bit masks in one int) and a general one otherwise.
 * These tests compare the fast path with plain reference implementations around its limits: 32 code units, non-ASCII
 * code units, long strings after short ones.
 */

/** Textbook Jaro with boolean arrays, evaluated in the same order, so results must be bit-identical. */
function referenceJaro(a: string, b: string): number {
  if (a === b) return 1;
  if (a.length === 0 || b.length === 0) return 0;
  const window = Math.max(0, Math.floor(Math.max(a.length, b.length) / 2) - 1);
  const matchedA = new Array<boolean>(a.length).fill(false);
  const matchedB = new Array<boolean>(b.length).fill(false);
  let matches = 0;
  for (let i = 0; i < a.length; i++) {
    for (let j = Math.max(0, i - window); j < Math.min(b.length, i + window + 1); j++) {
      if (!matchedB[j] && a[i] === b[j]) {
        matchedA[i] = true;
        matchedB[j] = true;
        matches++;
        break;
      }
    }
  }
  if (matches === 0) return 0;
  let half = 0;
  let k = 0;
  for (let i = 0; i < a.length; i++) {
    if (!matchedA[i]) continue;
    while (!matchedB[k]) k++;
    if (a[i] !== b[k]) half++;
    k++;
  }
  return (matches / a.length + matches / b.length + (matches - half / 2) / matches) / 3;
}

function* randomPairs(count: number, maxLength: number, alphabet: string): Generator<[string, string]> {
  let state = 7;
  const next = (): number => {
    state = (state * 1103515245 + 12345) % 2147483648;
    return state / 2147483648;
  };
  const word = (): string => {
    const length = Math.floor(next() * (maxLength + 1));
    let text = '';
    for (let i = 0; i < length; i++) text += alphabet[Math.floor(next() * alphabet.length)];
    return text;
  };
  for (let i = 0; i < count; i++) yield [word(), word()];
}

describe('damerauLevenshtein fast path', () => {
  it('agrees with the reference for strings up to and past 32 code units, with and without a limit', () => {
    for (const [a, b] of randomPairs(1500, 40, 'abc')) {
      const expected = referenceOsa(a, b);
      expect(damerauLevenshtein(a, b)).toBe(expected);
      for (const limit of [0, 1, 2, 5]) expect(damerauLevenshtein(a, b, limit)).toBe(expected <= limit ? expected : limit + 1);
    }
  });

  it('agrees with the reference at exactly 31, 32 and 33 differing code units', () => {
    for (const length of [31, 32, 33]) {
      const a = 'ab'.repeat(length).slice(0, length);
      const b = 'ba'.repeat(length).slice(0, length);
      expect(damerauLevenshtein(`x${a}y`, `z${b}w`)).toBe(referenceOsa(`x${a}y`, `z${b}w`));
      expect(damerauLevenshtein(`x${a}`, `${b}`, 3)).toBe(Math.min(referenceOsa(`x${a}`, b), 4));
    }
  });

  it('handles non-ASCII code units on either side', () => {
    for (const [a, b] of randomPairs(800, 10, 'aé€b')) {
      const expected = referenceOsa(a, b);
      expect(damerauLevenshtein(a, b)).toBe(expected);
      expect(damerauLevenshtein(a, b, 1)).toBe(expected <= 1 ? expected : 2);
    }
  });
});

describe('jaro fast path', () => {
  it('is bit-identical to the reference below, at and above 32 code units', () => {
    for (const [a, b] of randomPairs(1500, 40, 'abcd')) expect(jaro(a, b)).toBe(referenceJaro(a, b));
  });

  it('is bit-identical to the reference for names', () => {
    const names = ['martha', 'marhta', 'dwayne', 'duane', 'dixon', 'dicksonx', 'jones', 'johnson', 'christopher', 'christina'];
    for (const a of names) for (const b of names) expect(jaro(a, b)).toBe(referenceJaro(a, b));
  });
});
