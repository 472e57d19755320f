import type { Comparison } from './comparisons';
import { parsePattern, type PatternHistogram } from './comparison-vectors';
import { PROBABILITY_FLOOR } from './model';

/**
 * Expectation-maximisation for m probabilities and the match prior, with u fixed from random sampling (Splink's
 * default). Runs over the histogram of distinct comparison patterns, not over pairs, so its cost does not grow
 * with the number of pairs.
 */
export interface EmOptions {
  maxIterations: number;
  tolerance: number;
  initialLambda: number;
}

export const DEFAULT_EM_OPTIONS: EmOptions = { maxIterations: 100, tolerance: 1e-6, initialLambda: 0.1 };

export interface EmResult {
  m: number[][];
  lambda: number;
  iterations: number;
  converged: boolean;
}

/** Starting m: most mass on the strongest agreement level, falling geometrically, like Splink's defaults. */
function initialM(comparison: Comparison): number[] {
  const levels = comparison.levels.length - 1;
  const raw = Array.from({ length: levels }, (_, k) => Math.pow(0.25, k));
  const total = raw.reduce((a, b) => a + b, 0);
  return [0, ...raw.map((value) => value / total)];
}

export function estimateM(
  comparisons: readonly Comparison[],
  histogram: PatternHistogram,
  u: readonly number[][],
  options: EmOptions = DEFAULT_EM_OPTIONS,
): EmResult {
  const patterns = [...histogram.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  const levels = patterns.map(([key]) => parsePattern(key));
  const counts = patterns.map(([, count]) => count);
  const logU = u.map((row) => row.map((value) => Math.log(Math.max(value, PROBABILITY_FLOOR))));
  let m = comparisons.map(initialM);
  let lambda = options.initialLambda;
  let iterations = 0;
  let converged = false;
  while (iterations < options.maxIterations && !converged) {
    iterations++;
    const logM = m.map((row) => row.map((value) => Math.log(Math.max(value, PROBABILITY_FLOOR))));
    const expected = comparisons.map((comparison) => new Array<number>(comparison.levels.length).fill(0));
    let matches = 0;
    let total = 0;
    for (let p = 0; p < levels.length; p++) {
      const pattern = levels[p];
      let logRatio = Math.log(lambda) - Math.log(1 - lambda);
      for (let c = 0; c < pattern.length; c++) {
        const l = pattern[c];
        if (l !== 0) logRatio += logM[c][l] - logU[c][l];
      }
      const probability = 1 / (1 + Math.exp(-logRatio));
      const weight = counts[p] * probability;
      matches += weight;
      total += counts[p];
      for (let c = 0; c < pattern.length; c++) if (pattern[c] !== 0) expected[c][pattern[c]] += weight;
    }
    const nextLambda = Math.min(Math.max(matches / Math.max(total, 1), PROBABILITY_FLOOR), 1 - PROBABILITY_FLOOR);
    const nextM = expected.map((row, c) => {
      const sum = row.reduce((a, b) => a + b, 0);
      return sum > 0 ? row.map((value, l) => (l === 0 ? 0 : value / sum)) : m[c];
    });
    let change = Math.abs(nextLambda - lambda);
    nextM.forEach((row, c) => row.forEach((value, l) => (change = Math.max(change, Math.abs(value - m[c][l])))));
    m = nextM;
    lambda = nextLambda;
    converged = change < options.tolerance;
  }
  return { m, lambda, iterations, converged };
}
