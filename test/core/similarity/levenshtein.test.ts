import { damerauLevenshtein, withinEditDistance } from '../../../lambdas/core/similarity/levenshtein';
import { referenceOsa } from '../../support/reference-distance';

/** Deterministic pseudo-random strings over a small alphabet, so repeats and transpositions are frequent. */
function* randomPairs(count: number): Generator<[string, string]> {
  let state = 42;
  const next = (): number => {
    state = (state * 1103515245 + 12345) % 2147483648;
    return state / 2147483648;
  };
  const word = (): string => {
    const length = Math.floor(next() * 9);
    let text = '';
    for (let i = 0; i < length; i++) text += 'abcd'[Math.floor(next() * 4)];
    return text;
  };
  for (let i = 0; i < count; i++) yield [word(), word()];
}

describe('damerauLevenshtein', () => {
  it.each([
    ['john', 'jhon', 1],
    ['smith', 'smyth', 1],
    ['martha', 'marhta', 1],
    ['kitten', 'sitting', 3],
    ['', 'abc', 3],
    ['abc', '', 3],
    ['same', 'same', 0],
    ['19850307', '19850703', 2],
    ['ca', 'abc', 3],
  ])('(%s, %s) = %d', (a, b, expected) => {
    expect(damerauLevenshtein(a, b)).toBe(expected);
    expect(damerauLevenshtein(b, a)).toBe(expected);
  });

  it('returns maxDistance + 1 as soon as the distance is known to exceed it', () => {
    expect(damerauLevenshtein('kitten', 'sitting', 1)).toBe(2);
    expect(damerauLevenshtein('kitten', 'sitting', 2)).toBe(3);
    expect(damerauLevenshtein('kitten', 'sitting', 3)).toBe(3);
    expect(damerauLevenshtein('a', 'abcdefgh', 2)).toBe(3);
    expect(damerauLevenshtein('abcdefgh', 'hgfedcba', 0)).toBe(1);
  });

  it('agrees with a plain full-matrix implementation on thousands of pairs, with and without a limit', () => {
    for (const [a, b] of randomPairs(3000)) {
      const expected = referenceOsa(a, b);
      expect(damerauLevenshtein(a, b)).toBe(expected);
      for (const limit of [0, 1, 2, 3]) {
        expect(damerauLevenshtein(a, b, limit)).toBe(expected <= limit ? expected : limit + 1);
      }
    }
  });

  it('handles strings longer than its initial buffers, then short ones again', () => {
    const long = 'ab'.repeat(200);
    expect(damerauLevenshtein(long, `${long.slice(0, 199)}x${long.slice(200)}`)).toBe(1);
    expect(damerauLevenshtein(`x${long}`, `${long}y`)).toBe(2);
    expect(damerauLevenshtein('jhon', 'john')).toBe(1);
  });
});

describe('withinEditDistance', () => {
  it('answers "at most k edits"', () => {
    expect(withinEditDistance('jonathan', 'jonathon', 1)).toBe(true);
    expect(withinEditDistance('jonathan', 'johnathon', 1)).toBe(false);
    expect(withinEditDistance('jonathan', 'johnathon', 2)).toBe(true);
  });
});
