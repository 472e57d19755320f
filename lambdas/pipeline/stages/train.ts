import type { RuleStats } from '../../core/matching/blocking';
import { mergeHistograms } from '../../core/matching/comparison-vectors';
import { defaultComparisons } from '../../core/matching/comparisons';
import { defaultBlockingRules } from '../../core/matching/blocking';
import { mergeLevelCounts } from '../../core/matching/estimate-u';
import { trainModel } from '../../core/matching/train';
import type { MatchModel } from '../../core/matching/model';
import type { RouteResult, TrainEvent, TrainResult } from '../contracts';
import type { PipelineDeps } from '../deps';
import { workKeys } from '../work-keys';
import { loadPlan, type PartitionHistogram } from './compare';
import { assertCurrentPlan } from './plan';

/** The stored model of a run, with the blocking statistics the report shows. */
export interface StoredModel {
  model: MatchModel;
  blocking: RuleStats[];
}

/**
 * The partitions' blocking statistics added up, with the blocks route left out because an earlier block holds the
 * same records (they form no pair of their own, but they are blocks: an in-memory run counts them). Route counted
 * each such block once per record: as many times as its size.
 */
function mergeRuleStats(parts: RuleStats[][], refinedBlocks: number[], routed: readonly RouteResult[]): RuleStats[] {
  const merged = parts[0]?.map((s) => ({ ...s, pairs: 0, blocks: 0, largestBlock: 0, windowedBlocks: 0 })) ?? [];
  for (const part of parts)
    part.forEach((s, r) => {
      merged[r].pairs += s.pairs;
      merged[r].blocks += s.blocks;
      merged[r].windowedBlocks += s.windowedBlocks;
      merged[r].largestBlock = Math.max(merged[r].largestBlock, s.largestBlock);
    });
  for (const s of merged) {
    // Added up over the sources first: a block's members may be in several sources.
    const memberships = new Map<number, number>();
    for (const result of routed)
      for (const [size, count] of Object.entries(result.duplicateBlocks[s.rule] ?? {}))
        memberships.set(Number(size), (memberships.get(Number(size)) ?? 0) + count);
    for (const [size, count] of memberships) {
      s.blocks += count / size;
      s.largestBlock = Math.max(s.largestBlock, size);
    }
  }
  merged.forEach((s, r) => (s.refinedBlocks = refinedBlocks[r] ?? 0));
  return merged;
}

/** Train: fit m and the prior by EM over all partitions' pattern histograms, with u from their random samples. */
export async function trainRunModel(deps: PipelineDeps, event: TrainEvent): Promise<TrainResult> {
  const { runId } = event;
  const bucket = deps.buckets.work;
  const plan = await loadPlan(deps, runId);
  assertCurrentPlan(plan);
  const keys = await deps.objects.list(bucket, workKeys.histogramsPrefix(runId));
  const parts: PartitionHistogram[] = [];
  for (const key of keys) parts.push(JSON.parse(await deps.objects.getText({ bucket, key })) as PartitionHistogram);
  const uSample = mergeLevelCounts(parts.map((part) => part.uSample));
  const comparisons = defaultComparisons(plan.identifiers);
  const model = trainModel(
    comparisons,
    defaultBlockingRules(plan.identifiers),
    mergeHistograms(parts.map((part) => part.histogram)),
    uSample,
    plan.records,
    deps.settings.link.training,
  );
  const routed: RouteResult[] = [];
  for (const { source } of plan.ingested)
    routed.push(JSON.parse(await deps.objects.getText({ bucket, key: workKeys.routed(runId, source) })) as RouteResult);
  const stored: StoredModel = { model, blocking: mergeRuleStats(parts.map((part) => part.rules), plan.refinedBlocks, routed) };
  const modelKey = workKeys.model(runId);
  await deps.objects.putText({ bucket, key: modelKey }, JSON.stringify(stored), 'application/json');
  return { runId, modelKey, matchWeightThreshold: model.matchWeightThreshold };
}
