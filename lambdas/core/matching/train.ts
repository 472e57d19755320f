import type { Comparison } from './comparisons';
import type { BlockingRule } from './blocking';
import { parseHistogramKey, type PatternHistogram } from './comparison-vectors';
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
  /**
   * A level defined as decisive (clearly different) vetoes links only when the data agree that true matches almost
   * never show it: its fitted m must be below this. In data where, say, birth dates are often mistyped, the veto
   * switches itself off.
   */
  decisiveMaxM: number;
}

export const DEFAULT_TRAINING_OPTIONS: TrainingOptions = {
  em: DEFAULT_EM_OPTIONS,
  reviewProbabilityThreshold: 0.05,
  thresholdBounds: [0.2, 0.95],
  decisiveMaxM: 0.04,
};

function expectedF1Threshold(
  histogram: PatternHistogram,
  weightOf: (pattern: number[]) => number,
  bounds: [number, number],
): number {
  const scored = [...histogram.entries()]
    .map(([key, count]) => ({ probability: toProbability(weightOf(parseHistogramKey(key).levels)), count }))
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
  rules: readonly Pick<BlockingRule, 'name' | 'uses'>[],
  histogram: PatternHistogram,
  uSample: USample,
  recordCount: number,
  options: TrainingOptions = DEFAULT_TRAINING_OPTIONS,
): MatchModel {
  const u = uProbabilities(uSample, comparisons);
  const em = estimateM(comparisons, rules, histogram, u, options.em);
  const parameters = comparisons.map((comparison, c) => parametersFor(comparison, em.m[c], u[c], em.lowestSessionM[c], options.decisiveMaxM));
  let candidatePairs = 0;
  for (const count of histogram.values()) candidatePairs += count;
  // The prior is that of two random records, as in Splink: the share of matches among candidate pairs scaled by the
  // share of all pairs that blocking proposed. Using the candidate-pair share would count the blocking evidence
  // (names, emails agreeing) twice, and link namesakes.
  const allPairs = Math.max((recordCount * (recordCount - 1)) / 2, 1);
  const lambda = Math.min(Math.max((em.lambda * candidatePairs) / allPairs, 1e-12), 0.5);
  const priorWeight = toWeight(lambda);
  const weightOf = (pattern: number[]): number =>
    pattern.reduce((sum, l, c) => sum + parameters[c].levels[l].weight, priorWeight);
  const matchProbabilityThreshold =
    options.matchProbabilityThreshold ?? expectedF1Threshold(histogram, weightOf, options.thresholdBounds);
  const reviewProbabilityThreshold = Math.min(options.reviewProbabilityThreshold, matchProbabilityThreshold);
  return {
    comparisons: parameters,
    lambda,
    candidateMatchShare: em.lambda,
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
      sessions: em.sessions,
      thresholdRule:
        options.matchProbabilityThreshold === undefined ? 'maximum expected F1 under the fitted model' : 'configured',
    },
  };
}
