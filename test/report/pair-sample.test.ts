import { hashString, seededRandom } from '../../lambdas/core/random';
import { PairSample } from '../../lambdas/pipeline/report-content';
import type { LinkLine } from '../../lambdas/pipeline/stages/score';

/** The report's waterfall sample, kept while matches.csv streams: the same pairs whatever order they arrive in. */

const line = (a: string, b: string): LinkLine => ({ kind: 'link', a, b, rule: 0, weight: 1, probability: 0.5, levels: [], contributions: [] });

function lines(count: number, seed: number): LinkLine[] {
  const random = seededRandom(seed);
  return Array.from({ length: count }, (_, i) => line(`telco:${random.int(1e9)}`, `satellite:${i}`));
}

/** Every pair sorted by hash of its keys, then keys: what the sample must hold the first `count` of. */
function smallest(all: readonly LinkLine[], count: number): LinkLine[] {
  const hash = (l: LinkLine): number => hashString(`${l.a}|${l.b}`);
  return [...all]
    .sort((x, y) => hash(x) - hash(y) || (x.a < y.a ? -1 : x.a > y.a ? 1 : x.b < y.b ? -1 : 1))
    .slice(0, count);
}

it('keeps the pairs with the smallest key hashes, in order, whatever order they stream in', () => {
  const all = lines(3000, 4);
  for (const order of [all, [...all].reverse(), smallest(all, all.length).reverse()]) {
    const sample = new PairSample(10);
    for (const l of order) sample.add(l);
    expect(sample.lines).toEqual(smallest(all, 10));
  }
});

it('holds every pair when fewer than asked for arrive, and breaks equal hashes by the keys', () => {
  const few = lines(4, 9);
  const sample = new PairSample(10);
  for (const l of few) sample.add(l);
  expect(sample.lines).toEqual(smallest(few, 10));
  expect(sample.lines).toHaveLength(4);

  // The same pair twice has the same hash: the keys decide, and both copies are kept in arrival order.
  const twins = new PairSample(3);
  const [x, y] = [line('a:1', 'b:1'), line('a:1', 'b:1')];
  twins.add(x);
  twins.add(y);
  expect(twins.lines[0]).toBe(x);
  expect(twins.lines[1]).toBe(y);
});
