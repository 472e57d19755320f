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
  left: readonly number[],
  right: readonly number[],
): Uint8Array {
  const width = comparisons.length;
  const vectors = new Uint8Array(left.length * width);
  for (let p = 0; p < left.length; p++) compareInto(vectors, p * width, comparisons, records[left[p]], records[right[p]]);
  return vectors;
}

/** Pattern (levels joined, e.g. "1.0.3.1") -> number of pairs with that pattern. */
export type PatternHistogram = Map<string, number>;

export function patternKey(vectors: Uint8Array, offset: number, width: number): string {
  let key = String(vectors[offset]);
  for (let c = 1; c < width; c++) key += `.${vectors[offset + c]}`;
  return key;
}

export function addToHistogram(histogram: PatternHistogram, vectors: Uint8Array, width: number): PatternHistogram {
  for (let offset = 0; offset < vectors.length; offset += width) {
    const key = patternKey(vectors, offset, width);
    histogram.set(key, (histogram.get(key) ?? 0) + 1);
  }
  return histogram;
}

export function mergeHistograms(histograms: Iterable<Record<string, number>>): PatternHistogram {
  const merged: PatternHistogram = new Map();
  for (const histogram of histograms)
    for (const [key, count] of Object.entries(histogram)) merged.set(key, (merged.get(key) ?? 0) + count);
  return merged;
}

export const parsePattern = (key: string): number[] => key.split('.').map(Number);
