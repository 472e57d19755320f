import type { Comparison } from './comparisons';
import type { MatchModel } from './model';
import { levelWeight } from './model';
import { termFrequency, termValue, type TermFrequencies, type TermValues } from './term-frequencies';

/**
 * Scores comparison vectors with a fitted model: prior weight + per-comparison level weights, with exact matches on
 * term-frequency columns weighted by the shared value's frequency: log2(m / tf(value)) instead of log2(m / u).
 */
export interface Scorer {
  /** Match weight of the pair whose levels start at `offset`; fills `contributions` (one weight per comparison). */
  weight(vectors: Uint8Array, offset: number, a: TermValues, b: TermValues, contributions?: Float64Array): number;
  /** True when any level is a clearly-different (decisive) finding and no unique identifier agrees. */
  decisive(vectors: Uint8Array, offset: number): boolean;
  /** The weight the pair would have without its decisive levels: how alike the records are otherwise. */
  weightWithoutDecisive(vectors: Uint8Array, offset: number, weight: number, contributions: Float64Array): number;
}

export function createScorer(model: MatchModel, comparisons: readonly Comparison[], tf: TermFrequencies): Scorer {
  const weights = model.comparisons.map((c) => c.levels.map((level) => level.weight));
  const m = model.comparisons.map((c) => c.levels.map((level) => level.m ?? 0));
  const tfColumns = comparisons.map((c) => c.levels.map((level) => level.termFrequency ?? null));
  const decisiveLevels = model.comparisons.map((c) => c.levels.map((level) => level.decisive === true));
  const confirmingLevels = model.comparisons.map((c) => c.levels.map((level) => level.confirmsIdentity === true));
  const width = comparisons.length;
  const tfCache = new Map<string, number>();
  return {
    weight(vectors, offset, a, b, contributions) {
      let total = model.priorWeight;
      for (let c = 0; c < width; c++) {
        const l = vectors[offset + c];
        let w = weights[c][l];
        const column = tfColumns[c][l];
        if (column !== null) {
          const value = termValue(a, column) ?? termValue(b, column);
          if (value !== null) {
            const cacheKey = `${column}\u0000${value}`;
            let adjusted = tfCache.get(cacheKey);
            if (adjusted === undefined) {
              adjusted = levelWeight(m[c][l], termFrequency(tf[column], value));
              tfCache.set(cacheKey, adjusted);
            }
            w = adjusted;
          }
        }
        if (contributions) contributions[c] = w;
        total += w;
      }
      return total;
    },
    decisive(vectors, offset) {
      let decisive = false;
      for (let c = 0; c < width; c++) {
        const l = vectors[offset + c];
        if (confirmingLevels[c][l]) return false;
        if (decisiveLevels[c][l]) decisive = true;
      }
      return decisive;
    },
    weightWithoutDecisive(vectors, offset, weight, contributions) {
      let result = weight;
      for (let c = 0; c < width; c++) if (decisiveLevels[c][vectors[offset + c]]) result -= contributions[c];
      return result;
    },
  };
}
