/**
 * Pairwise precision and recall of a clustering against ground truth (record key -> true entity id): a pair of
 * records is predicted when they share a cluster and true when they share an entity.
 */
export interface PairwiseScores {
  truePositives: number;
  predictedPairs: number;
  truePairs: number;
  precision: number;
  recall: number;
  f1: number;
}

const pairsOf = (n: number): number => (n * (n - 1)) / 2;

export function pairwiseScores(
  clusters: readonly (readonly string[])[],
  truth: ReadonlyMap<string, string>,
): PairwiseScores {
  let predictedPairs = 0;
  let truePositives = 0;
  for (const cluster of clusters) {
    predictedPairs += pairsOf(cluster.length);
    const byEntity = new Map<string, number>();
    for (const key of cluster) {
      const entity = truth.get(key);
      if (entity !== undefined) byEntity.set(entity, (byEntity.get(entity) ?? 0) + 1);
    }
    for (const n of byEntity.values()) truePositives += pairsOf(n);
  }
  const entitySizes = new Map<string, number>();
  for (const entity of truth.values()) entitySizes.set(entity, (entitySizes.get(entity) ?? 0) + 1);
  let truePairs = 0;
  for (const n of entitySizes.values()) truePairs += pairsOf(n);
  const precision = predictedPairs === 0 ? 1 : truePositives / predictedPairs;
  const recall = truePairs === 0 ? 1 : truePositives / truePairs;
  const f1 = precision + recall === 0 ? 0 : (2 * precision * recall) / (precision + recall);
  return { truePositives, predictedPairs, truePairs, precision, recall, f1 };
}

/** Share of true pairs that blocking proposed as candidates. `pairKeys` holds "keyA\u0000keyB" with keyA < keyB. */
export function blockingRecall(candidatePairKeys: ReadonlySet<string>, truth: ReadonlyMap<string, string>): number {
  const byEntity = new Map<string, string[]>();
  for (const [key, entity] of truth) {
    const list = byEntity.get(entity);
    if (list) list.push(key);
    else byEntity.set(entity, [key]);
  }
  let total = 0;
  let found = 0;
  for (const keys of byEntity.values()) {
    const sorted = [...keys].sort();
    for (let i = 0; i < sorted.length; i++)
      for (let j = i + 1; j < sorted.length; j++) {
        total++;
        if (candidatePairKeys.has(`${sorted[i]}\u0000${sorted[j]}`)) found++;
      }
  }
  return total === 0 ? 1 : found / total;
}
