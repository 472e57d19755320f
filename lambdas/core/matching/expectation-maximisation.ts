import type { BlockingRule } from './blocking';
import { isEstimatedLevel, type Comparison } from './comparisons';
import { parseHistogramKey, type PatternHistogram } from './comparison-vectors';
import { PROBABILITY_FLOOR } from './model';

/**
 * Expectation-maximisation for m probabilities and the match prior, with u fixed from random sampling, trained the
 * way Splink trains: one session per blocking rule on the candidate pairs that satisfy that rule, leaving out the
 * comparisons the rule forces to agree (their m would be biased towards agreement), then each comparison's m is the
 * average of its estimates over the sessions that did estimate it, weighted by each session's expected matches,
 * leaving out collapsed sessions (see `collapseFactor`). The prior among all candidate pairs is then fitted with m
 * and u fixed.
 * EM runs over the histogram of distinct comparison patterns, not over pairs, so its cost does not grow with pairs.
 */
export interface EmOptions {
  maxIterations: number;
  tolerance: number;
  initialLambda: number;
  /** Sessions with fewer pairs than this are skipped (too few to estimate anything). */
  minSessionPairs: number;
  /** Sessions with fewer expected matches than this do not count towards `lowestSessionM`. */
  minSessionMatches: number;
  /**
   * A session expecting more than this many times the median session's matches has collapsed: every session counts
   * the same people's matching pairs through a different rule, so their counts agree to within a small factor, but
   * on a dense rule (surname sound and postcode over a million records per company) EM can settle on "nearly every
   * pair matches" and report millions of matches with m probabilities that describe namesakes, not the same person.
   * Weighted by those matches it would outvote every other session; it is reported and left out of m instead.
   */
  collapseFactor: number;
}

export const DEFAULT_EM_OPTIONS: EmOptions = {
  maxIterations: 200,
  tolerance: 1e-6,
  initialLambda: 0.3,
  minSessionPairs: 100,
  minSessionMatches: 50,
  collapseFactor: 3,
};

export interface TrainingSession {
  rule: string;
  pairs: number;
  lambda: number;
  iterations: number;
  converged: boolean;
  /** Comparisons this session estimated. */
  estimated: string[];
  /** Expected matches among the session's pairs. */
  expectedMatches: number;
  /** This session's m estimates per comparison (null where it did not estimate the comparison). */
  m: (number[] | null)[];
  /** Set when the session was left out of m: why, in words. */
  excluded?: string;
}

export interface EmResult {
  m: number[][];
  /**
   * Per level, the lowest m any session estimated (sessions with at least `minSessionMatches` expected matches).
   * Household pairs (spouses sharing an email, twins at one address) look like matches to some sessions and inflate
   * their m for "first names differ"; the least-contaminated session tells how rare a disagreement really is.
   */
  lowestSessionM: number[][];
  lambda: number;
  sessions: TrainingSession[];
  converged: boolean;
  iterations: number;
}

interface Patterns {
  levels: number[][];
  counts: number[];
  masks: number[];
}

/** Starting m: most mass on the strongest agreement level, falling geometrically, like Splink's defaults. */
function initialM(comparison: Comparison): number[] {
  let k = 0;
  const raw = comparison.levels.map((level) => (isEstimatedLevel(level) ? Math.pow(0.25, k++) : 0));
  const total = raw.reduce((a, b) => a + b, 0);
  return raw.map((value) => value / total);
}

/** Per comparison, per level: does EM observe this level (not null, not marginal)? */
const observedLevels = (comparisons: readonly Comparison[]): boolean[][] =>
  comparisons.map((comparison) => comparison.levels.map(isEstimatedLevel));

const logOf = (rows: readonly (readonly number[])[]): number[][] =>
  rows.map((row) => row.map((value) => Math.log(Math.max(value, PROBABILITY_FLOOR))));

function logLikelihoodRatio(
  levels: readonly number[],
  active: readonly boolean[],
  observed: readonly boolean[][],
  logM: number[][],
  logU: number[][],
): number {
  let ratio = 0;
  for (let c = 0; c < levels.length; c++) {
    const l = levels[c];
    if (active[c] && observed[c][l]) ratio += logM[c][l] - logU[c][l];
  }
  return ratio;
}

function session(
  comparisons: readonly Comparison[],
  patterns: Patterns,
  u: readonly number[][],
  active: readonly boolean[],
  options: EmOptions,
): { m: number[][]; lambda: number; iterations: number; converged: boolean; expectedMatches: number } {
  const logU = logOf(u);
  const observed = observedLevels(comparisons);
  let m = comparisons.map(initialM);
  let lambda = options.initialLambda;
  let iterations = 0;
  let converged = false;
  let expectedMatches = 0;
  while (iterations < options.maxIterations && !converged) {
    iterations++;
    const logM = logOf(m);
    const expected = comparisons.map((comparison) => new Array<number>(comparison.levels.length).fill(0));
    let matches = 0;
    let total = 0;
    const priorLog = Math.log(lambda) - Math.log(1 - lambda);
    for (let p = 0; p < patterns.levels.length; p++) {
      const levels = patterns.levels[p];
      const probability = 1 / (1 + Math.exp(-(priorLog + logLikelihoodRatio(levels, active, observed, logM, logU))));
      const weight = patterns.counts[p] * probability;
      matches += weight;
      total += patterns.counts[p];
      for (let c = 0; c < levels.length; c++) if (active[c] && observed[c][levels[c]]) expected[c][levels[c]] += weight;
    }
    const nextLambda = Math.min(Math.max(matches / Math.max(total, 1), PROBABILITY_FLOOR), 1 - PROBABILITY_FLOOR);
    const nextM = expected.map((row, c) => {
      const sum = row.reduce((a, b) => a + b, 0);
      return sum > 0 && active[c] ? row.map((value, l) => (observed[c][l] ? value / sum : 0)) : m[c];
    });
    let change = Math.abs(nextLambda - lambda);
    nextM.forEach((row, c) => row.forEach((value, l) => (change = Math.max(change, Math.abs(value - m[c][l])))));
    m = nextM;
    lambda = nextLambda;
    expectedMatches = matches;
    converged = change < options.tolerance;
  }
  return { m, lambda, iterations, converged, expectedMatches };
}

/** The prior among all candidate pairs, with m and u fixed. */
function fitPrior(
  comparisons: readonly Comparison[],
  patterns: Patterns,
  m: number[][],
  u: readonly number[][],
  options: EmOptions,
): number {
  const logM = logOf(m);
  const logU = logOf(u);
  const all = m.map(() => true);
  const observed = observedLevels(comparisons);
  const ratios = patterns.levels.map((levels) => logLikelihoodRatio(levels, all, observed, logM, logU));
  let lambda = options.initialLambda;
  for (let iteration = 0; iteration < options.maxIterations; iteration++) {
    const priorLog = Math.log(lambda) - Math.log(1 - lambda);
    let matches = 0;
    let total = 0;
    ratios.forEach((ratio, p) => {
      matches += patterns.counts[p] / (1 + Math.exp(-(priorLog + ratio)));
      total += patterns.counts[p];
    });
    const next = Math.min(Math.max(matches / Math.max(total, 1), PROBABILITY_FLOOR), 1 - PROBABILITY_FLOOR);
    const done = Math.abs(next - lambda) < options.tolerance;
    lambda = next;
    if (done) break;
  }
  return lambda;
}

function parse(histogram: PatternHistogram): Patterns {
  const entries = [...histogram.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  const patterns: Patterns = { levels: [], counts: [], masks: [] };
  for (const [key, count] of entries) {
    const { mask, levels } = parseHistogramKey(key);
    patterns.levels.push(levels);
    patterns.counts.push(count);
    patterns.masks.push(mask);
  }
  return patterns;
}

function select(patterns: Patterns, keep: (mask: number) => boolean): Patterns {
  const selected: Patterns = { levels: [], counts: [], masks: [] };
  patterns.masks.forEach((mask, p) => {
    if (!keep(mask)) return;
    selected.levels.push(patterns.levels[p]);
    selected.counts.push(patterns.counts[p]);
    selected.masks.push(mask);
  });
  return selected;
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

/** Marks the sessions expecting more than `factor` times the median session's matches (three sessions or more). */
export function markCollapsed(sessions: TrainingSession[], factor: number): void {
  if (sessions.length < 3) return;
  const typical = median(sessions.map((s) => s.expectedMatches));
  for (const s of sessions)
    if (s.expectedMatches > factor * typical)
      s.excluded = `collapsed: ${Math.round(s.expectedMatches)} expected matches, ${(s.expectedMatches / typical).toFixed(1)}x the median session's ${Math.round(typical)}`;
}

/** Each comparison's m: its sessions' estimates weighted by their expected matches, collapsed sessions left out. */
export function averageM(comparisons: readonly Comparison[], sessions: readonly TrainingSession[]): number[][] {
  return comparisons.map((comparison, c) => {
    const sums = new Array<number>(comparison.levels.length).fill(0);
    let weight = 0;
    for (const s of sessions) {
      const estimate = s.m[c];
      if (!estimate || s.excluded) continue;
      weight += s.expectedMatches;
      estimate.forEach((value, l) => (sums[l] += value * s.expectedMatches));
    }
    return weight > 0 ? sums.map((value) => value / weight) : initialM(comparison);
  });
}

export function estimateM(
  comparisons: readonly Comparison[],
  rules: readonly Pick<BlockingRule, 'name' | 'uses'>[],
  histogram: PatternHistogram,
  u: readonly number[][],
  options: EmOptions = DEFAULT_EM_OPTIONS,
): EmResult {
  const patterns = parse(histogram);
  const sessions: TrainingSession[] = [];
  const runSession = (name: string, selected: Patterns, active: boolean[]): void => {
    const pairs = selected.counts.reduce((a, b) => a + b, 0);
    const fitted = session(comparisons, selected, u, active, options);
    sessions.push({
      rule: name,
      pairs,
      lambda: fitted.lambda,
      iterations: fitted.iterations,
      converged: fitted.converged,
      estimated: comparisons.filter((_, c) => active[c]).map((c) => c.name),
      expectedMatches: fitted.expectedMatches,
      m: fitted.m.map((row, c) => (active[c] ? row : null)),
    });
  };
  rules.forEach((rule, r) => {
    const selected = select(patterns, (mask) => (mask & (1 << r)) !== 0);
    if (selected.counts.reduce((a, b) => a + b, 0) < options.minSessionPairs) return;
    runSession(
      rule.name,
      selected,
      comparisons.map((comparison) => !rule.uses.includes(comparison.name)),
    );
  });
  // Too little data for any session (a tiny input): one session over all pairs, all comparisons estimated.
  if (sessions.length === 0 && patterns.counts.length > 0) runSession('all candidate pairs', patterns, comparisons.map(() => true));
  markCollapsed(sessions, options.collapseFactor);
  const m = averageM(comparisons, sessions);
  const lambda = fitPrior(comparisons, patterns, m, u, options);
  const lowestSessionM = m.map((row, c) =>
    row.map((value, l) => {
      let lowest = value;
      for (const s of sessions) {
        const estimate = s.m[c];
        if (estimate && !s.excluded && s.expectedMatches >= options.minSessionMatches) lowest = Math.min(lowest, estimate[l]);
      }
      return lowest;
    }),
  );
  return {
    m,
    lowestSessionM,
    lambda,
    sessions,
    converged: sessions.every((s) => s.converged),
    iterations: sessions.reduce((sum, s) => sum + s.iterations, 0),
  };
}
