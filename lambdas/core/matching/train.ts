import type { Comparison } from './comparisons';
import { parsePattern, type PatternHistogram } from './comparison-vectors';
import { DEFAULT_EM_OPTIONS, estimateM, type EmOptions } from './expectation-maximisation';
import { uProbabilities, type USample } from './estimate-u';
import { parametersFor, toProbability, toWeight, type MatchModel } from './model';

/**
 * Fits the model of a run from its own data (no labels): u from random pairs, m and the prior by EM over the
 * candidate pairs' comparison patterns, then the match threshold that maximises the F1 score the fitted model
 * itself expects over the candidate pairs (a pair with posterior p counts as p of a true match), unless configured.
 */
export interface TrainingOptions {
  em: EmOptions;
  /** Fixed match probability threshold; undefined = chosen from the fitted model. */
  matchProbabilityThreshold?: number;
  /** Pairs at or above this probability and below the match threshold form the review band. */
  reviewProbabilityThreshold: number;
  /** Bounds for the chosen threshold, so a degenerate fit cannot link everything or nothing. */
  thresholdBounds: [number, number];
}

export const DEFAULT_TRAINING_OPTIONS: TrainingOptions = {
  em: DEFAULT_EM_OPTIONS,
  reviewProbabilityThreshold: 0.05,
  thresholdBounds: [0.2, 0.95],
};

function expectedF1Threshold(
  histogram: PatternHistogram,
  weightOf: (pattern: number[]) => number,
  bounds: [number, number],
): number {
  const scored = [...histogram.entries()]
    .map(([key, count]) => ({ probability: toProbability(weightOf(parsePattern(key))), count }))
    .sort((a, b) => b.probability - a.probability);
  const expectedMatches = scored.reduce((sum, s) => sum + s.count * s.probability, 0);
  let truePositives = 0;
  let falsePositives = 0;
  let best = { f1: -1, threshold: 0.5 };
  for (let i = 0; i < scored.length; i++) {
    truePositives += scored[i].count * scored[i].probability;
    falsePositives += scored[i].count * (1 - scored[i].probability);
    const next = scored[i + 1]?.probability ?? 0;
    if (next === scored[i].probability) continue;
    const f1 = (2 * truePositives) / (2 * truePositives + falsePositives + (expectedMatches - truePositives));
    // Put the threshold halfway (in weight) between this pattern and the next, so it does not sit on a pattern.
    const threshold = next > 0 ? toProbability((toWeight(scored[i].probability) + toWeight(next)) / 2) : scored[i].probability / 2;
    if (f1 > best.f1 + 1e-12) best = { f1, threshold };
  }
  return Math.min(Math.max(best.threshold, bounds[0]), bounds[1]);
}

export function trainModel(
  comparisons: readonly Comparison[],
  histogram: PatternHistogram,
  uSample: USample,
  options: TrainingOptions = DEFAULT_TRAINING_OPTIONS,
): MatchModel {
  const u = uProbabilities(uSample);
  const em = estimateM(comparisons, histogram, u, options.em);
  const parameters = comparisons.map((comparison, c) => parametersFor(comparison, em.m[c], u[c]));
  const priorWeight = toWeight(em.lambda);
  const weightOf = (pattern: number[]): number =>
    pattern.reduce((sum, l, c) => sum + parameters[c].levels[l].weight, priorWeight);
  const matchProbabilityThreshold =
    options.matchProbabilityThreshold ?? expectedF1Threshold(histogram, weightOf, options.thresholdBounds);
  const reviewProbabilityThreshold = Math.min(options.reviewProbabilityThreshold, matchProbabilityThreshold);
  let candidatePairs = 0;
  for (const count of histogram.values()) candidatePairs += count;
  return {
    comparisons: parameters,
    lambda: em.lambda,
    priorWeight,
    matchProbabilityThreshold,
    matchWeightThreshold: toWeight(matchProbabilityThreshold),
    reviewProbabilityThreshold,
    reviewWeightThreshold: toWeight(reviewProbabilityThreshold),
    training: {
      randomPairsSampled: uSample.pairs,
      candidatePairs,
      emIterations: em.iterations,
      emConverged: em.converged,
      thresholdRule:
        options.matchProbabilityThreshold === undefined ? 'maximum expected F1 under the fitted model' : 'configured',
    },
  };
}
