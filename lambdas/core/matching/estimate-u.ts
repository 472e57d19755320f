import type { Comparison } from './comparisons';
import type { MatchFeatures } from './features';
import { seededRandom } from '../random';

/**
 * u probabilities by random sampling, as Splink does: almost every random pair of records is a non-match, so the
 * share of random pairs at each comparison level estimates P(level | non-match). Sampling is seeded.
 * Returns per comparison the level counts (index 0 = null level) so samples from partitions could be added.
 */
export interface USample {
  pairs: number;
  counts: number[][];
}

export function sampleLevelCounts(
  comparisons: readonly Comparison[],
  records: readonly MatchFeatures[],
  maxPairs: number,
  seed: number,
): USample {
  const counts = comparisons.map((comparison) => new Array<number>(comparison.levels.length).fill(0));
  const n = records.length;
  if (n < 2) return { pairs: 0, counts };
  const totalPairs = (n * (n - 1)) / 2;
  const random = seededRandom(seed);
  const pairs = Math.min(maxPairs, totalPairs);
  for (let s = 0; s < pairs; s++) {
    const i = random.int(n);
    let j = random.int(n - 1);
    if (j >= i) j++;
    const a = records[i];
    const b = records[j];
    for (let c = 0; c < comparisons.length; c++) counts[c][comparisons[c].level(a, b)]++;
  }
  return { pairs, counts };
}

/** Level counts -> u probabilities over the non-null levels; unseen levels get one pseudo-observation. */
export function uProbabilities(sample: USample): number[][] {
  return sample.counts.map((levelCounts) => {
    const nonNull = levelCounts.slice(1);
    const total = nonNull.reduce((sum, count) => sum + count, 0) + nonNull.length;
    return [0, ...nonNull.map((count) => (count + (count === 0 ? 1 : 0)) / Math.max(total, 1))];
  });
}
