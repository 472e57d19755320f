import type { Comparison } from './comparisons';
import type { MatchFeatures } from './features';

/**
 * Comparison vectors: the level of every comparison for every pair, packed row-major in one byte array
 * (pair p, comparison c at p * comparisons + c), and aggregated into a histogram of distinct patterns for EM.
 */
export function compareInto(
  target: Uint8Array,
  offset: number,
  comparisons: readonly Comparison[],
  a: MatchFeatures,
  b: MatchFeatures,
): void {
  for (let c = 0; c < comparisons.length; c++) target[offset + c] = comparisons[c].level(a, b);
}

export function comparisonVectors(
  comparisons: readonly Comparison[],
  records: readonly MatchFeatures[],
  left: ArrayLike<number>,
  right: ArrayLike<number>,
): Uint8Array {
  const width = comparisons.length;
  const vectors = new Uint8Array(left.length * width);
  for (let p = 0; p < left.length; p++) compareInto(vectors, p * width, comparisons, records[left[p]], records[right[p]]);
  return vectors;
}

/**
 * "mask|pattern" -> number of pairs, where mask is the bit mask of blocking rules the pairs satisfy and pattern their
 * levels joined by dots ("5|1.0.3.1"). EM needs both: each training session uses the pairs of one rule.
 */
export type PatternHistogram = Map<string, number>;

export function patternKey(vectors: Uint8Array, offset: number, width: number): string {
  let key = String(vectors[offset]);
  for (let c = 1; c < width; c++) key += `.${vectors[offset + c]}`;
  return key;
}

/** A pair's histogram key: its rule mask and the levels at `offset` (parseHistogramKey reads it back). */
const histogramKey = (mask: number, vectors: Uint8Array, offset: number, width: number): string =>
  `${mask}|${patternKey(vectors, offset, width)}`;

export function addToHistogram(
  histogram: PatternHistogram,
  vectors: Uint8Array,
  width: number,
  masks: ArrayLike<number>,
): PatternHistogram {
  const packed = countPackedPatterns(vectors, width, masks);
  if (packed === null) {
    for (let p = 0, offset = 0; offset < vectors.length; p++, offset += width) {
      const key = histogramKey(masks[p], vectors, offset, width);
      histogram.set(key, (histogram.get(key) ?? 0) + 1);
    }
    return histogram;
  }
  // Map keeps first-insertion order for number keys too: the string keys arrive in the order the loop above gives.
  const levels = new Uint8Array(width);
  for (const [pattern, count] of packed) {
    let rest = pattern;
    for (let c = width - 1; c >= 0; c--) {
      levels[c] = rest % LEVEL_BASE;
      rest = Math.floor(rest / LEVEL_BASE);
    }
    const key = histogramKey(rest, levels, 0, width);
    histogram.set(key, (histogram.get(key) ?? 0) + count);
  }
  return histogram;
}

const LEVEL_BASE = 16;

/**
 * Pattern counts keyed by mask and levels packed into one number (a string key per pair cost 330 ns of a compare
 * job's pair, measured), or null when they do not fit a double exactly (a level over 15, or too many comparisons
 * and rules): the caller then keys by string.
 */
function countPackedPatterns(vectors: Uint8Array, width: number, masks: ArrayLike<number>): Map<number, number> | null {
  let largestMask = 0;
  for (let p = 0; p < masks.length; p++) {
    // A mask with the sign bit (a 32nd rule) would not unpack: keep the string keys for it.
    if (masks[p] < 0) return null;
    if (masks[p] > largestMask) largestMask = masks[p];
  }
  if ((largestMask + 1) * LEVEL_BASE ** width > Number.MAX_SAFE_INTEGER) return null;
  const counts = new Map<number, number>();
  for (let p = 0, offset = 0; offset < vectors.length; p++, offset += width) {
    let pattern = masks[p];
    for (let c = 0; c < width; c++) {
      const level = vectors[offset + c];
      if (level >= LEVEL_BASE) return null;
      pattern = pattern * LEVEL_BASE + level;
    }
    counts.set(pattern, (counts.get(pattern) ?? 0) + 1);
  }
  return counts;
}

export function mergeHistograms(histograms: Iterable<Record<string, number>>): PatternHistogram {
  const merged: PatternHistogram = new Map();
  for (const histogram of histograms)
    for (const [key, count] of Object.entries(histogram)) merged.set(key, (merged.get(key) ?? 0) + count);
  return merged;
}

export function parseHistogramKey(key: string): { mask: number; levels: number[] } {
  const bar = key.indexOf('|');
  return { mask: Number(key.slice(0, bar)), levels: key.slice(bar + 1).split('.').map(Number) };
}
