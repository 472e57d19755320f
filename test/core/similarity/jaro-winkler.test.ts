import { jaro, jaroWinkler } from '../../../lambdas/core/similarity/jaro-winkler';

describe('jaro', () => {
  it.each([
    ['MARTHA', 'MARHTA', 0.9444],
    ['DWAYNE', 'DUANE', 0.8222],
    ['DIXON', 'DICKSONX', 0.7667],
    ['jones', 'johnson', 0.7905],
    ['CRATE', 'TRACE', 0.7333],
  ])('jaro(%s, %s) = %f', (a, b, expected) => {
    expect(jaro(a, b)).toBeCloseTo(expected, 4);
  });

  it('is 1 for identical strings (including two empty ones) and 0 when one is empty', () => {
    expect(jaro('robert', 'robert')).toBe(1);
    expect(jaro('', '')).toBe(1);
    expect(jaro('robert', '')).toBe(0);
    expect(jaro('', 'robert')).toBe(0);
  });

  it('is 0 when no character matches within the window', () => {
    expect(jaro('abc', 'xyz')).toBe(0);
    // "a" and "b" are too far apart for the match window of a 6-letter string.
    expect(jaro('aaaaab', 'baaaaa')).toBeLessThan(1);
  });

  it('is symmetric', () => {
    for (const [a, b] of [['martha', 'marhta'], ['catherine', 'kathryn'], ['x', 'xyz'], ['abcdefgh', 'hgfedcba']]) {
      expect(jaro(a as string, b as string)).toBeCloseTo(jaro(b as string, a as string), 12);
    }
  });
});

describe('jaroWinkler', () => {
  it.each([
    ['MARTHA', 'MARHTA', 0.9611],
    ['DWAYNE', 'DUANE', 0.84],
    ['DIXON', 'DICKSONX', 0.8133],
    ['jones', 'johnson', 0.8324],
  ])('jaroWinkler(%s, %s) = %f', (a, b, expected) => {
    expect(jaroWinkler(a, b)).toBeCloseTo(expected, 4);
  });

  it('does not boost below the 0.7 Jaro threshold', () => {
    expect(jaroWinkler('CRATE', 'TRACE')).toBe(jaro('CRATE', 'TRACE'));
    // Shared first letter, otherwise unrelated: no prefix bonus.
    expect(jaroWinkler('abcd', 'awxy')).toBe(jaro('abcd', 'awxy'));
  });

  it('counts at most four prefix characters', () => {
    const j = jaro('abcdefgx', 'abcdefgy');
    expect(jaroWinkler('abcdefgx', 'abcdefgy')).toBeCloseTo(j + 4 * 0.1 * (1 - j), 12);
  });

  it('stays within [0, 1] and works across calls with long and short strings (buffers reused)', () => {
    const long = 'a'.repeat(500) + 'b';
    expect(jaroWinkler(long, `${long}c`)).toBeLessThanOrEqual(1);
    expect(jaroWinkler('martha', 'marhta')).toBeCloseTo(0.9611, 4);
    expect(jaroWinkler('robert', 'rupert')).toBeGreaterThan(0.7);
  });
});
