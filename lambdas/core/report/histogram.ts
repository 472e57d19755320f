/** A histogram bin covering [from, to). */
export interface Bin {
  from: number;
  to: number;
  count: number;
}

/** More bins than this means the bin width is a mistake (it would make an unreadable chart and a huge file). */
const MAX_BINS = 2000;

/**
 * Counts weights into bins of `binWidth` anchored at multiples of the width (bin k covers [k*w, (k+1)*w)), so
 * histograms built separately for links, review-band and kept-apart pairs line up and can be stacked.
 * Bins run contiguously from the lowest to the highest weight, empty bins included; no weights gives no bins.
 * An infinite weight (a probability of exactly 0 or 1) is counted in the outermost bin rather than dropped: every
 * pair kept must be counted somewhere.
 */
export function weightHistogram(weights: readonly number[], binWidth: number): Bin[] {
  if (!(binWidth > 0) || !Number.isFinite(binWidth)) throw new RangeError(`bin width must be a positive number, got ${binWidth}`);
  if (weights.length === 0) return [];
  // A loop, not Math.min(...weights): a run can keep millions of pairs, more than a call's argument limit.
  let lowest = Infinity;
  let highest = -Infinity;
  for (const w of weights) {
    if (Number.isNaN(w)) throw new RangeError('cannot bin a NaN match weight');
    if (!Number.isFinite(w)) continue;
    lowest = Math.min(lowest, w);
    highest = Math.max(highest, w);
  }
  // With only infinite weights there is no finite range: put them in the bin at 0.
  if (lowest > highest) lowest = highest = 0;
  const first = binIndex(lowest, binWidth);
  const last = binIndex(highest, binWidth);
  if (last - first + 1 > MAX_BINS) throw new RangeError(`bin width ${binWidth} gives more than ${MAX_BINS} bins`);
  const counts = new Array<number>(last - first + 1).fill(0);
  for (const w of weights) {
    const k = w === Infinity ? last : w === -Infinity ? first : binIndex(w, binWidth);
    counts[k - first]++;
  }
  return counts.map((count, i) => ({ from: edge(first + i, binWidth), to: edge(first + i + 1, binWidth), count }));
}

function binIndex(weight: number, binWidth: number): number {
  // The epsilon keeps a weight that is a multiple of the width in floating point (0.3 / 0.1) in its own bin.
  return Math.floor(weight / binWidth + 1e-9);
}

/** Rounded so that 3 * 0.1 gives 0.3, not 0.30000000000000004, in the rendered labels. */
function edge(k: number, binWidth: number): number {
  return Math.round(k * binWidth * 1e9) / 1e9;
}

/** One stacked column: the three outcomes' counts for the same bin. */
export interface StackedBin {
  from: number;
  to: number;
  links: number;
  review: number;
  apart: number;
}

/** Merges per-outcome histograms (same bin width) into stacked columns over their joint range, gaps filled. */
export function stackBins(links: readonly Bin[], review: readonly Bin[], apart: readonly Bin[], binWidth: number): StackedBin[] {
  const all = [...links, ...review, ...apart];
  if (all.length === 0) return [];
  const index = (bin: Bin): number => Math.round(bin.from / binWidth);
  const first = Math.min(...all.map(index));
  const last = Math.max(...all.map(index));
  const stacked: StackedBin[] = [];
  for (let k = first; k <= last; k++)
    stacked.push({ from: edge(k, binWidth), to: edge(k + 1, binWidth), links: 0, review: 0, apart: 0 });
  const add = (bins: readonly Bin[], kind: 'links' | 'review' | 'apart'): void => {
    for (const bin of bins) stacked[index(bin) - first][kind] += bin.count;
  };
  add(links, 'links');
  add(review, 'review');
  add(apart, 'apart');
  return stacked;
}
