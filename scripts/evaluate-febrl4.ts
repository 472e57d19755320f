/**
 * Links FEBRL4 (two files of 5,000 people, one corrupted copy each) without labels and prints precision, recall,
 * blocking recall and the fitted model: the numbers behind the accuracy gate in test/matching/febrl4.test.ts.
 */
import { linkRecords } from '../lambdas/core/matching/link';
import { blockingRecall, pairwiseScores } from '../lambdas/core/matching/evaluate';
import { loadFebrl4 } from '../test/support/febrl';

async function main(): Promise<void> {
  const started = performance.now();
  const { records, truth, rejected } = await loadFebrl4();
  const loaded = performance.now();
  const result = linkRecords(records);
  const linked = performance.now();
  const clusters = result.clusters.map((cluster) => cluster.map((i) => records[i].key));
  const scores = pairwiseScores(clusters, truth);
  const candidateKeys = new Set<string>();
  for (const pair of [...result.links, ...result.review, ...result.clearlyDifferent]) {
    const [a, b] = [records[pair.left].key, records[pair.right].key].sort();
    candidateKeys.add(`${a}\u0000${b}`);
  }
  console.log(
    JSON.stringify(
      {
        records: records.length,
        rejected,
        candidatePairs: result.candidatePairs,
        keptPairsRecall: blockingRecall(candidateKeys, truth),
        links: result.links.length,
        review: result.review.length,
        clearlyDifferent: result.clearlyDifferent.length,
        refused: result.refused.length,
        scores,
        blocking: result.blocking.map((s) => ({ rule: s.rule, pairs: s.pairs, largest: s.largestBlock })),
        threshold: result.model.matchProbabilityThreshold,
        lambda: result.model.lambda,
        em: result.model.training,
        comparisons: result.model.comparisons.map((c) => ({
          name: c.name,
          levels: c.levels.map((l) => `${l.label}: m=${l.m?.toFixed(4)} u=${l.u?.toExponential(2)} w=${l.weight.toFixed(2)}`),
        })),
        ms: { load: Math.round(loaded - started), link: Math.round(linked - loaded) },
      },
      null,
      2,
    ),
  );
}

void main();
