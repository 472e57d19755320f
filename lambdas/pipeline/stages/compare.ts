import { candidatePairs, defaultBlockingRules, type RuleStats } from '../../core/matching/blocking';
import { addToHistogram, comparisonVectors } from '../../core/matching/comparison-vectors';
import { defaultComparisons } from '../../core/matching/comparisons';
import { sampleLevelCounts, type USample } from '../../core/matching/estimate-u';
import type { MatchFeatures } from '../../core/matching/features';
import type { CompareResult, PartitionRef } from '../contracts';
import type { PipelineDeps } from '../deps';
import { readNdjson } from '../ndjson';
import { encodePairs } from '../pairs-file';
import { workKeys } from '../work-keys';
import { partitioner, type PartitionLine, type RunPlan } from './plan';

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

/** Per line of a partition, index-aligned with the pair positions: what scoring a pair reads of its records. */
export interface PairRecords {
  keys: string[];
  first: (string | null)[];
  lastCompact: (string | null)[];
  city: (string | null)[];
}

export function toPairRecords(features: readonly MatchFeatures[]): PairRecords {
  return {
    keys: features.map((f) => f.key),
    first: features.map((f) => f.first),
    lastCompact: features.map((f) => f.lastCompact),
    city: features.map((f) => f.city),
  };
}

/** The histogram file of a partition: EM's input, the blocking statistics and this partition's share of the u sample. */
export interface PartitionHistogram {
  histogram: Record<string, number>;
  rules: RuleStats[];
  uSample: USample;
}

/**
 * This partition's share of the run's random pairs for u: pairs among its home records, as many as its share of
 * the run's records (every record is home in one partition), seeded by the partition so re-runs agree.
 */
function partitionUSample(
  deps: PipelineDeps,
  plan: RunPlan,
  ref: PartitionRef,
  comparisons: ReturnType<typeof defaultComparisons>,
  home: readonly MatchFeatures[],
): USample {
  const { uSamplePairs, seed } = deps.settings.link;
  const pairs = Math.round((uSamplePairs * home.length) / Math.max(plan.records, 1));
  return sampleLevelCounts(comparisons, home, pairs, seed + ref.partition);
}

/**
 * Compare one partition: generate the candidate pairs of the blocks this partition owns, compute their comparison
 * vectors, and write them with the partition's pattern histogram (EM's input) and its share of the u sample.
 */
export async function comparePartition(deps: PipelineDeps, ref: PartitionRef): Promise<CompareResult> {
  const plan = await loadPlan(deps, ref.runId);
  const lines = await loadPartition(deps, ref);
  const rules = defaultBlockingRules(plan.identifiers);
  const comparisons = defaultComparisons(plan.identifiers);
  const partitionOf = partitioner(rules, plan.partitions);
  const { pairs, stats } = candidatePairs(
    lines.map((line) => line.keys),
    rules,
    deps.settings.link.blocking,
    (rule, key) => partitionOf(rule, key) === ref.partition,
  );
  const features = lines.map((line) => line.features);
  const vectors = comparisonVectors(comparisons, features, pairs.left, pairs.right);
  const histogram = addToHistogram(new Map(), vectors, comparisons.length, pairs.mask);
  const home = lines.filter((line) => line.home === true).map((line) => line.features);
  const uSample = partitionUSample(deps, plan, ref, comparisons, home);
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
    { bucket: deps.buckets.work, key: workKeys.pairRecords(ref.runId, ref.partition) },
    JSON.stringify(toPairRecords(features)),
    'application/json',
  );
  await deps.objects.putText(
    { bucket: deps.buckets.work, key: workKeys.histogram(ref.runId, ref.partition) },
    JSON.stringify({ histogram: Object.fromEntries(histogram), rules: stats, uSample } satisfies PartitionHistogram),
    'application/json',
  );
  return { partition: ref.partition, pairs: pairs.left.length };
}
