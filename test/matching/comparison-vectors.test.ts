import { addToHistogram, parseHistogramKey, type PatternHistogram } from '../../lambdas/core/matching/comparison-vectors';
import { seededRandom } from '../../lambdas/core/random';

/** The histogram as specified: one "mask|levels" string per pair, counted in order of first occurrence. */
function histogramByStrings(vectors: Uint8Array, width: number, masks: readonly number[]): [string, number][] {
  const counts = new Map<string, number>();
  masks.forEach((mask, p) => {
    const key = `${mask}|${Array.from(vectors.subarray(p * width, (p + 1) * width)).join('.')}`;
    counts.set(key, (counts.get(key) ?? 0) + 1);
  });
  return [...counts];
}

function randomPairs(pairs: number, width: number, maxLevel: number, maxMask: number, seed: number): { vectors: Uint8Array; masks: number[] } {
  const random = seededRandom(seed);
  // Few distinct values, so patterns repeat as they do in a partition.
  const level = (): number => Math.floor(random.next() * 3) * Math.floor(maxLevel / 2);
  const vectors = Uint8Array.from({ length: pairs * width }, level);
  const masks = Array.from({ length: pairs }, () => 1 + Math.floor(random.next() * 4) * Math.floor(maxMask / 4));
  return { vectors, masks };
}

describe('addToHistogram', () => {
  test.each([
    ['ten comparisons, eleven rules (packed keys)', 10, 8, 2047],
    ['levels over 15 (string keys)', 10, 20, 2047],
    ['too many comparisons and rules for one number (string keys)', 14, 8, 2 ** 12 - 1],
  ])('%s: the same patterns, counts and order as one string key per pair', (_, width, maxLevel, maxMask) => {
    const { vectors, masks } = randomPairs(5_000, width, maxLevel, maxMask, width * 31 + maxLevel);
    const histogram = addToHistogram(new Map(), vectors, width, masks);
    const expected = histogramByStrings(vectors, width, masks);
    expect(expected.length).toBeGreaterThan(10);
    expect([...histogram]).toEqual(expected);
    const [key] = expected[0];
    expect(parseHistogramKey(key).levels).toHaveLength(width);
  });

  test('keeps string keys for a mask with the sign bit (a 32nd rule)', () => {
    const histogram = addToHistogram(new Map(), Uint8Array.from([1, 2, 1, 2]), 2, [1 << 31, 1 << 31]);
    expect([...histogram]).toEqual([['-2147483648|1.2', 2]]);
  });

  test('adds to the counts already there and appends new patterns after them', () => {
    const histogram: PatternHistogram = new Map([['3|1.0', 2]]);
    addToHistogram(histogram, Uint8Array.from([2, 2, 1, 0, 1, 0]), 2, [1, 3, 3]);
    expect([...histogram]).toEqual([
      ['3|1.0', 4],
      ['1|2.2', 1],
    ]);
  });
});
