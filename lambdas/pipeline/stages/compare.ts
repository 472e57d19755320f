import { candidatePairs, defaultBlockingRules } from '../../core/matching/blocking';
import { addToHistogram, comparisonVectors } from '../../core/matching/comparison-vectors';
import { defaultComparisons } from '../../core/matching/comparisons';
import type { CompareResult, PartitionRef } from '../contracts';
import type { PipelineDeps } from '../deps';
import { readNdjson } from '../ndjson';
import { encodePairs } from '../pairs-file';
import { workKeys } from '../work-keys';
import { partitionOf, type PartitionLine, type RunPlan } from './plan';

export async function loadPlan(deps: PipelineDeps, runId: string): Promise<RunPlan> {
  return JSON.parse(await deps.objects.getText({ bucket: deps.buckets.work, key: workKeys.plan(runId) })) as RunPlan;
}

export async function loadPartition(deps: PipelineDeps, ref: PartitionRef): Promise<PartitionLine[]> {
  const lines: PartitionLine[] = [];
  for await (const line of readNdjson<PartitionLine>(deps.objects, { bucket: deps.buckets.work, key: ref.key })) {
    line.features.index = lines.length;
    lines.push(line);
  }
  return lines;
}

/**
 * Compare one partition: generate the candidate pairs of the blocks this partition owns, compute their comparison
 * vectors, and write them with the partition's pattern histogram (EM's input).
 */
export async function comparePartition(deps: PipelineDeps, ref: PartitionRef): Promise<CompareResult> {
  const plan = await loadPlan(deps, ref.runId);
  const lines = await loadPartition(deps, ref);
  const rules = defaultBlockingRules(plan.identifiers);
  const comparisons = defaultComparisons(plan.identifiers);
  const { pairs, stats } = candidatePairs(
    lines.map((line) => line.keys),
    rules,
    deps.settings.link.blocking,
    (rule, key) => partitionOf(rule, key, plan.partitions) === ref.partition,
  );
  const features = lines.map((line) => line.features);
  const vectors = comparisonVectors(comparisons, features, pairs.left, pairs.right);
  const histogram = addToHistogram(new Map(), vectors, comparisons.length, pairs.mask);
  await deps.objects.putBytes(
    { bucket: deps.buckets.work, key: workKeys.pairs(ref.runId, ref.partition) },
    encodePairs({
      left: Uint32Array.from(pairs.left),
      right: Uint32Array.from(pairs.right),
      rule: Uint8Array.from(pairs.rule),
      vectors,
      width: comparisons.length,
    }),
  );
  await deps.objects.putText(
    { bucket: deps.buckets.work, key: workKeys.histogram(ref.runId, ref.partition) },
    JSON.stringify({ histogram: Object.fromEntries(histogram), rules: stats }),
    'application/json',
  );
  return { partition: ref.partition, pairs: pairs.left.length };
}
