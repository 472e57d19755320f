import { stackBins, weightHistogram } from '../../lambdas/core/report';
import { formatCount, formatPercent, formatProbability, formatWeight } from '../../lambdas/core/report/format';

describe('weightHistogram', () => {
  it('counts weights into contiguous bins anchored at multiples of the width', () => {
    expect(weightHistogram([0.2, 1.9, 3.5, 3.0, -0.5], 1)).toEqual([
      { from: -1, to: 0, count: 1 },
      { from: 0, to: 1, count: 1 },
      { from: 1, to: 2, count: 1 },
      { from: 2, to: 3, count: 0 },
      { from: 3, to: 4, count: 2 },
    ]);
  });

  it('puts a weight on a bin edge in the bin it starts, even in floating point', () => {
    expect(weightHistogram([0.3], 0.1)).toEqual([{ from: 0.3, to: 0.4, count: 1 }]);
    expect(weightHistogram([-2], 0.5)).toEqual([{ from: -2, to: -1.5, count: 1 }]);
  });

  it('gives no bins for no weights, and counts infinite weights in the outermost bins', () => {
    expect(weightHistogram([], 1)).toEqual([]);
    const bins = weightHistogram([Infinity, 2.5, 4.5, -Infinity], 1);
    expect(bins[0]).toEqual({ from: 2, to: 3, count: 2 });
    expect(bins[bins.length - 1]).toEqual({ from: 4, to: 5, count: 2 });
    expect(weightHistogram([Infinity], 1)).toEqual([{ from: 0, to: 1, count: 1 }]);
  });

  it('handles a million weights', () => {
    const weights = Array.from({ length: 1_000_000 }, (_, i) => (i % 400) / 10 - 10);
    const bins = weightHistogram(weights, 1);
    expect(bins).toHaveLength(40);
    expect(bins.reduce((s, b) => s + b.count, 0)).toBe(1_000_000);
  });

  it('rejects NaN and unusable widths', () => {
    expect(() => weightHistogram([1, NaN], 1)).toThrow(RangeError);
    expect(() => weightHistogram([1], 0)).toThrow(RangeError);
    expect(() => weightHistogram([1], -1)).toThrow(RangeError);
    expect(() => weightHistogram([0, 1e6], 0.001)).toThrow(/more than/);
  });
});

describe('stackBins', () => {
  it('aligns separately built histograms and fills the gaps between them', () => {
    const stacked = stackBins(weightHistogram([10.5, 11.2], 1), weightHistogram([3.1], 1), weightHistogram([7.7, 10.9], 1), 1);
    expect(stacked.map((b) => b.from)).toEqual([3, 4, 5, 6, 7, 8, 9, 10, 11]);
    expect(stacked[0]).toEqual({ from: 3, to: 4, links: 0, review: 1, apart: 0 });
    expect(stacked[7]).toEqual({ from: 10, to: 11, links: 1, review: 0, apart: 1 });
    expect(stacked[8]).toEqual({ from: 11, to: 12, links: 1, review: 0, apart: 0 });
    expect(stackBins([], [], [], 1)).toEqual([]);
  });
});

describe('report number formats', () => {
  it('formats independently of the locale', () => {
    expect(formatCount(1234567)).toBe('1,234,567');
    expect(formatCount(-1234)).toBe('-1,234');
    expect(formatWeight(6.6438)).toBe('+6.64');
    expect(formatWeight(-0.001)).toBe('0.00');
    expect(formatWeight(-15.54)).toBe('-15.54');
    expect(formatProbability(null)).toBe('\u2014');
    expect(formatProbability(0.99999)).toBe('\u22650.9999');
    expect(formatProbability(0.0521)).toBe('0.0521');
    expect(formatProbability(0.000004)).toBe('4.00e-6');
    expect(formatPercent(9, 58_384)).toBe('<0.1%');
    expect(formatPercent(58_383, 58_384)).toBe('>99.9%');
    expect(formatPercent(1, 3)).toBe('33.3%');
    expect(formatPercent(0, 0)).toBe('0.0%');
  });
});
