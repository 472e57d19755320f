import type { Comparison, TermFrequencyColumn } from './comparisons';
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
  // Flat tables indexed by comparison * stride + level: the scorer runs for every compared pair.
  const width = comparisons.length;
  const stride = Math.max(1, ...model.comparisons.map((c) => c.levels.length));
  const weights = new Float64Array(width * stride);
  const m = new Float64Array(width * stride);
  const decisiveLevels = new Uint8Array(width * stride);
  const confirmingLevels = new Uint8Array(width * stride);
  const tfColumns = new Array<TermFrequencyColumn | null>(width * stride).fill(null);
  // Per term-frequency level, the adjusted weight of each shared value: keyed by the value alone, so a lookup
  // builds no string (a string keeps its hash once computed).
  const tfWeights: (Map<string, number> | undefined)[] = [];
  model.comparisons.forEach((comparison, c) =>
    comparison.levels.forEach((level, l) => {
      const at = c * stride + l;
      weights[at] = level.weight;
      m[at] = level.m ?? 0;
      decisiveLevels[at] = level.decisive === true ? 1 : 0;
      confirmingLevels[at] = level.confirmsIdentity === true ? 1 : 0;
      const column = comparisons[c]?.levels[l]?.termFrequency ?? null;
      tfColumns[at] = column;
      if (column !== null) tfWeights[at] = new Map();
    }),
  );
  return {
    weight(vectors, offset, a, b, contributions) {
      let total = model.priorWeight;
      for (let c = 0; c < width; c++) {
        const at = c * stride + vectors[offset + c];
        let w = weights[at];
        const column = tfColumns[at];
        if (column !== null) {
          const value = termValue(a, column) ?? termValue(b, column);
          if (value !== null) {
            const cache = tfWeights[at] as Map<string, number>;
            let adjusted = cache.get(value);
            if (adjusted === undefined) {
              adjusted = levelWeight(m[at], termFrequency(tf[column], value));
              cache.set(value, adjusted);
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
        const at = c * stride + vectors[offset + c];
        if (confirmingLevels[at] === 1) return false;
        if (decisiveLevels[at] === 1) decisive = true;
      }
      return decisive;
    },
    weightWithoutDecisive(vectors, offset, weight, contributions) {
      let result = weight;
      for (let c = 0; c < width; c++) if (decisiveLevels[c * stride + vectors[offset + c]] === 1) result -= contributions[c];
      return result;
    },
  };
}
