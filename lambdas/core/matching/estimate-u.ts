import { isEstimatedLevel, type Comparison } from './comparisons';
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

/** The level counts of several samples (one per partition) as one sample. */
export function mergeLevelCounts(samples: readonly USample[]): USample {
  const merged: USample = { pairs: 0, counts: samples[0]?.counts.map((levels) => levels.map(() => 0)) ?? [] };
  for (const sample of samples) {
    merged.pairs += sample.pairs;
    sample.counts.forEach((levels, c) => levels.forEach((count, l) => (merged.counts[c][l] += count)));
  }
  return merged;
}

/**
 * Level counts -> u probabilities over the estimated levels (unseen levels get one pseudo-observation); a marginal
 * level's u is the sum of the u of the levels it stands for.
 */
export function uProbabilities(sample: USample, comparisons: readonly Comparison[]): number[][] {
  return sample.counts.map((levelCounts, c) => {
    const levels = comparisons[c].levels;
    const estimated = levelCounts.map((count, l) => (isEstimatedLevel(levels[l]) ? count : null));
    const seen = estimated.filter((count): count is number => count !== null);
    const total = seen.reduce((sum, count) => sum + count, 0) + seen.filter((count) => count === 0).length;
    const u = estimated.map((count) => (count === null ? 0 : (count + (count === 0 ? 1 : 0)) / Math.max(total, 1)));
    return u.map((value, l) => levels[l].marginalOf?.reduce((sum, part) => sum + u[part], 0) ?? value);
  });
}
