import { blockingRecall, pairwiseScores } from '../../lambdas/core/matching/evaluate';
import { linkRecords, type LinkResult } from '../../lambdas/core/matching/link';
import type { CustomerRecord } from '../../lambdas/core/model/record';
import { febrl4Available, loadFebrl4 } from '../support/febrl';

/**
 * The accuracy gate on a public benchmark: FEBRL4 linked as two sources with no labels used for training.
 * Splink's published unsupervised result is precision 1.000, recall 0.9984.
 */
const describeIfData = febrl4Available() ? describe : describe.skip;

describeIfData('FEBRL4 (5,000 + 5,000 records, ground truth by record id)', () => {
  let records: CustomerRecord[];
  let truth: Map<string, string>;
  let result: LinkResult;

  beforeAll(async () => {
    ({ records, truth } = await loadFebrl4());
    result = linkRecords(records);
  });

  it('ingests every row', () => {
    expect(records).toHaveLength(10_000);
  });

  it('reaches precision >= 0.999 and recall >= 0.998', () => {
    const clusters = result.clusters.map((cluster) => cluster.map((i) => records[i].key));
    const scores = pairwiseScores(clusters, truth);
    expect(scores.truePairs).toBe(5_000);
    expect(scores.precision).toBeGreaterThanOrEqual(0.999);
    expect(scores.recall).toBeGreaterThanOrEqual(0.998);
  });

  it('blocking proposes almost every true pair while comparing far fewer than all pairs', () => {
    const proposed = new Set<string>();
    for (const pair of [...result.links, ...result.review, ...result.clearlyDifferent]) {
      const [a, b] = [records[pair.left].key, records[pair.right].key].sort();
      proposed.add(`${a}\u0000${b}`);
    }
    expect(blockingRecall(proposed, truth)).toBeGreaterThanOrEqual(0.998);
    expect(result.candidatePairs).toBeLessThan((10_000 * 9_999) / 2 / 100);
  });

  it('learns its parameters from the data: EM converges and exact agreement on names weighs positive', () => {
    expect(result.model.training.emConverged).toBe(true);
    const surname = result.model.comparisons.find((c) => c.name === 'surname');
    expect(surname?.levels[1].weight).toBeGreaterThan(5);
    expect(result.model.lambda).toBeGreaterThan(0);
  });

  it('is deterministic: the same input gives the same model, links and clusters', () => {
    // A third of each file keeps this quick; the comparison is exact (weights and parameters to the last bit).
    const subset = records.filter((r) => Number(/rec-(\d+)/.exec(r.recordId)?.[1]) < 1_700);
    const first = linkRecords(subset);
    const again = linkRecords(subset);
    expect(again.links.map((l) => [l.left, l.right, l.weight])).toEqual(first.links.map((l) => [l.left, l.right, l.weight]));
    expect(again.model).toEqual(first.model);
    expect(again.clusters).toEqual(first.clusters);
  });
});
