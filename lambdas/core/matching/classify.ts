import type { Comparison } from './comparisons';
import { toProbability, type MatchModel } from './model';
import { createScorer } from './score';
import type { TermFrequencies, TermValues } from './term-frequencies';

export interface ScoredPair {
  left: number;
  right: number;
  rule: number;
  weight: number;
  probability: number;
  decisive: boolean;
  levels: number[];
  contributions: number[];
}

export interface ClassifiedPairs {
  /** At or above the match threshold and without a decisive disagreement. */
  links: ScoredPair[];
  /** In the review band: at or above the review threshold, below the match threshold. */
  review: ScoredPair[];
  /** Clearly different (a decisive level) yet otherwise alike enough to be chained: cannot-links for clustering. */
  clearlyDifferent: ScoredPair[];
}

/** Scores compared pairs and keeps the ones clustering and the report need; the rest are counted, not kept. */
export function classifyPairs(
  model: MatchModel,
  comparisons: readonly Comparison[],
  termFrequencies: TermFrequencies,
  features: readonly TermValues[],
  pairs: { left: ArrayLike<number>; right: ArrayLike<number>; rule: ArrayLike<number> },
  vectors: Uint8Array,
): ClassifiedPairs {
  const scorer = createScorer(model, comparisons, termFrequencies);
  const width = comparisons.length;
  const result: ClassifiedPairs = { links: [], review: [], clearlyDifferent: [] };
  const contributions = new Float64Array(width);
  for (let p = 0; p < pairs.left.length; p++) {
    const offset = p * width;
    const a = features[pairs.left[p]];
    const b = features[pairs.right[p]];
    const weight = scorer.weight(vectors, offset, a, b, contributions);
    const decisive = scorer.decisive(vectors, offset);
    // A clearly-different pair is kept (as a cannot-link) only when the records are otherwise alike enough that
    // clustering could chain them together: twins, father and son, spouses. Keeping all would keep most pairs.
    const relevant = decisive
      ? scorer.weightWithoutDecisive(vectors, offset, weight, contributions) >= model.reviewWeightThreshold
      : weight >= model.reviewWeightThreshold;
    if (!relevant) continue;
    const scored: ScoredPair = {
      left: pairs.left[p],
      right: pairs.right[p],
      rule: pairs.rule[p],
      weight,
      probability: toProbability(weight),
      decisive,
      levels: Array.from(vectors.subarray(offset, offset + width)),
      contributions: Array.from(contributions),
    };
    if (decisive) result.clearlyDifferent.push(scored);
    else if (weight >= model.matchWeightThreshold) result.links.push(scored);
    else result.review.push(scored);
  }
  return result;
}
