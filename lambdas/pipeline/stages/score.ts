import { classifyPairs, type ScoredPair } from '../../core/matching/classify';
import { defaultComparisons } from '../../core/matching/comparisons';
import type { TermFrequencies } from '../../core/matching/term-frequencies';
import type { PartitionRef, ScoreResult } from '../contracts';
import type { PipelineDeps } from '../deps';
import { NdjsonWriter } from '../ndjson';
import { decodePairs } from '../pairs-file';
import { workKeys } from '../work-keys';
import { loadPlan, type PairRecords } from './compare';
import type { StoredModel } from './train';

/** A kept pair as written by the score stage, with record keys instead of partition positions. */
export interface LinkLine {
  kind: 'link' | 'review' | 'apart';
  a: string;
  b: string;
  rule: number;
  weight: number;
  probability: number;
  levels: number[];
  contributions: number[];
}

/** A kept pair as cluster reads it: the LinkLine's kind, keys and weight, without what only the report needs. */
export type EdgeLine = [kind: LinkLine['kind'], a: string, b: string, weight: number];

export async function loadModel(deps: PipelineDeps, runId: string): Promise<StoredModel> {
  return JSON.parse(await deps.objects.getText({ bucket: deps.buckets.work, key: workKeys.model(runId) })) as StoredModel;
}

/**
 * Score one partition's compared pairs with the trained model and keep links, review-band and clearly-different
 * pairs: in full for the report (links) and as cluster reads them (edges).
 */
export async function scorePartition(deps: PipelineDeps, ref: PartitionRef): Promise<ScoreResult> {
  const bucket = deps.buckets.work;
  const plan = await loadPlan(deps, ref.runId);
  const { model } = await loadModel(deps, ref.runId);
  const termFrequencies = JSON.parse(
    await deps.objects.getText({ bucket, key: workKeys.termFrequencies(ref.runId) }),
  ) as TermFrequencies;
  const records = JSON.parse(
    await deps.objects.getText({ bucket, key: workKeys.pairRecords(ref.runId, ref.partition) }),
  ) as PairRecords;
  const pairs = decodePairs(await deps.objects.getBytes({ bucket, key: workKeys.pairs(ref.runId, ref.partition) }));
  const features = records.keys.map((key, i) => ({
    key,
    first: records.first[i],
    lastCompact: records.lastCompact[i],
    city: records.city[i],
  }));
  const comparisons = defaultComparisons(plan.identifiers);
  const classified = classifyPairs(model, comparisons, termFrequencies, features, pairs, pairs.vectors);
  const writer = new NdjsonWriter(deps.objects, { bucket, key: workKeys.links(ref.runId, ref.partition) });
  const edges = new NdjsonWriter(deps.objects, { bucket, key: workKeys.edges(ref.runId, ref.partition) });
  const write = async (kind: LinkLine['kind'], list: ScoredPair[]): Promise<void> => {
    for (const pair of list) {
      const [a, b] = [features[pair.left].key, features[pair.right].key].sort();
      await edges.write([kind, a, b, pair.weight] satisfies EdgeLine);
      await writer.write({
        kind,
        a,
        b,
        rule: pair.rule,
        weight: pair.weight,
        probability: pair.probability,
        levels: pair.levels,
        contributions: pair.contributions,
      } satisfies LinkLine);
    }
  };
  await write('link', classified.links);
  await write('review', classified.review);
  await write('apart', classified.clearlyDifferent);
  await Promise.all([writer.close(), edges.close()]);
  return { partition: ref.partition, links: classified.links.length, reviewPairs: classified.review.length };
}
