import type { Comparison } from './comparisons';
import type { TrainingSession } from './expectation-maximisation';

/**
 * A fitted Fellegi-Sunter model, serialisable as JSON: the report prints it and the screening step reuses it.
 * Match weight of a pair = prior weight + the sum of its comparison levels' weights (+ term-frequency adjustments).
 */
export interface LevelParameters {
  label: string;
  /** P(level | match); null for the null level. */
  m: number | null;
  /** P(level | non-match); null for the null level. */
  u: number | null;
  /** log2(m / u); 0 for the null level. */
  weight: number;
  termFrequency?: string;
  /** This level vetoes links (a clearly-different finding) in this run's fitted model. */
  decisive?: true;
  /** Agreement at this level confirms identity and overrides decisive levels. */
  confirmsIdentity?: true;
}

export interface ComparisonParameters {
  name: string;
  description: string;
  levels: LevelParameters[];
}

export interface MatchModel {
  comparisons: ComparisonParameters[];
  /** Probability that two random records match (the prior, Splink's probability_two_random_records_match). */
  lambda: number;
  /** Estimated share of candidate pairs that are matches. */
  candidateMatchShare: number;
  priorWeight: number;
  matchProbabilityThreshold: number;
  matchWeightThreshold: number;
  reviewProbabilityThreshold: number;
  reviewWeightThreshold: number;
  training: {
    randomPairsSampled: number;
    candidatePairs: number;
    emIterations: number;
    emConverged: boolean;
    sessions: TrainingSession[];
    thresholdRule: string;
  };
}

export const PROBABILITY_FLOOR = 1e-6;

export const toWeight = (probability: number): number =>
  Math.log2(probability / (1 - probability));
export const toProbability = (weight: number): number => {
  const odds = Math.pow(2, weight);
  return Number.isFinite(odds) ? odds / (1 + odds) : 1;
};

export function levelWeight(m: number, u: number): number {
  return Math.log2(Math.max(m, PROBABILITY_FLOOR) / Math.max(u, PROBABILITY_FLOOR));
}

/**
 * Builds level parameters from m and u arrays (index 0 = null level). A 'when-rare' decisive level is decisive in
 * this model only when the lowest m any training session estimated for it is below `decisiveMaxM`.
 */
export function parametersFor(
  comparison: Comparison,
  estimatedM: readonly number[],
  u: readonly number[],
  lowestSessionM: readonly number[],
  decisiveMaxM: number,
): ComparisonParameters {
  const m = comparison.levels.map(
    (level, l) => level.marginalOf?.reduce((sum, part) => sum + estimatedM[part], 0) ?? estimatedM[l],
  );
  return {
    name: comparison.name,
    description: comparison.description,
    levels: comparison.levels.map((level, l) => ({
      label: level.label,
      m: level.isNull ? null : m[l],
      u: level.isNull ? null : u[l],
      weight: level.isNull ? 0 : levelWeight(m[l], u[l]),
      ...(level.termFrequency ? { termFrequency: level.termFrequency } : {}),
      ...(level.decisive === 'always' || (level.decisive === 'when-rare' && lowestSessionM[l] < decisiveMaxM)
        ? { decisive: true as const }
        : {}),
      ...(level.confirmsIdentity ? { confirmsIdentity: true as const } : {}),
    })),
  };
}
