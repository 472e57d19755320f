import { defaultBlockingRules, type BlockingRule, type BlockKeys, type RuleStats } from '../../core/matching/blocking';
import {
  addToBlock,
  candidatePairs,
  effectiveKeyAt,
  effectiveRuleKeys,
  emptyBlocks,
  KeySharing,
  NO_POSITIONS,
  type OwnedBlocks,
} from '../../core/matching/candidate-pairs';
import { addToHistogram, comparisonVectors } from '../../core/matching/comparison-vectors';
import { defaultComparisons, type Comparison } from '../../core/matching/comparisons';
import { sampleLevelCounts, type USample } from '../../core/matching/estimate-u';
import type { MatchFeatures } from '../../core/matching/features';
import { featuresFromRow } from '../../core/matching/features-codec';
import { CrmMergeError } from '../../core/errors';
import type { CompareResult, PartitionRef } from '../contracts';
import type { PipelineDeps } from '../deps';
import { readNdjsonLines } from '../ndjson';
import { encodePairs } from '../pairs-file';
import { workKeys } from '../work-keys';
import type { PartitionLine, RunPlan } from './plan';

export async function loadPlan(deps: PipelineDeps, runId: string): Promise<RunPlan> {
  return JSON.parse(await deps.objects.getText({ bucket: deps.buckets.work, key: workKeys.plan(runId) })) as RunPlan;
}

/**
 * A partition line decoded: the record's features, the positions of its raw keys whose blocks this partition owns
 * and of those over the cap (flat [rule, key position, …], as route wrote them), and whether the partition is its
 * home. Its keys are not built: compare builds only the owned ones (the blocks) and checks the others' sharing from
 * the features (KeySharing).
 */
export interface PartitionEntry {
  features: MatchFeatures;
  owned: readonly number[];
  oversized: readonly number[];
  home: boolean;
}

/** Decodes a line written by route (see PartitionLine); the features get `index`, the line's position. */
export function decodePartitionLine(text: string, index: number): PartitionEntry {
  const line = JSON.parse(text) as PartitionLine;
  if (!Array.isArray(line) || line.length !== 4) throw new CrmMergeError('partition line is not [home, owned, oversized, features]');
  const [home, owned, oversized, row] = line;
  return {
    features: featuresFromRow(row, index),
    owned,
    // Most records have no key over the cap: one shared empty list instead of one per record for the collector.
    oversized: oversized.length === 0 ? NO_POSITIONS : oversized,
    home: home === 1,
  };
}

/** Calls `visit` with each effective key whose block the entry's partition owns (refined where over the cap). */
export function forEachOwnedKey(entry: PartitionEntry, rules: readonly BlockingRule[], visit: (rule: number, key: string) => void): void {
  const { features, owned, oversized } = entry;
  for (let i = 0; i < owned.length; i += 2) visit(owned[i], effectiveKeyAt(rules, owned[i], owned[i + 1], features, oversized));
}

/** The entry's effective keys under every rule (what blocking all records in memory gives it). */
export const effectiveKeysOf = (entry: PartitionEntry, rules: readonly BlockingRule[]): BlockKeys =>
  rules.map((_, r) => effectiveRuleKeys(rules, r, entry.features, entry.oversized));

/** A partition's lines, and the blocks it owns built from them. */
export async function loadPartition(
  deps: PipelineDeps,
  ref: PartitionRef,
  plan: RunPlan,
  rules: readonly BlockingRule[],
): Promise<{ entries: PartitionEntry[]; blocks: OwnedBlocks }> {
  const entries: PartitionEntry[] = [];
  const blocks = emptyBlocks(rules);
  for (const key of workKeys.partitionParts(ref.runId, ref.partition, plan.sources)) {
    for await (const text of readNdjsonLines(deps.objects, { bucket: deps.buckets.work, key })) {
      const entry = decodePartitionLine(text, entries.length);
      forEachOwnedKey(entry, rules, (rule, key) => addToBlock(blocks, rule, key, entries.length));
      entries.push(entry);
    }
  }
  return { entries, blocks };
}

/**
 * The records a partition's work touches, numbered in order of first use: the members of its candidate pairs and its
 * home records (the u sample). A record routed here only for blocks whose pairs belong to an earlier rule's partition
 * is left out of the pair-records file score reads.
 */
class UsedRecords {
  readonly features: MatchFeatures[] = [];
  private readonly position: Int32Array;

  constructor(private readonly entries: readonly PartitionEntry[]) {
    this.position = new Int32Array(entries.length).fill(-1);
  }

  use(line: number): number {
    if (this.position[line] === -1) {
      // Renumbered in place: a copy per record would be one more object per record for the collector to trace.
      const { features } = this.entries[line];
      features.index = this.features.length;
      this.position[line] = this.features.length;
      this.features.push(features);
    }
    return this.position[line];
  }
}

/** Per used record of a partition, index-aligned with the pair positions: what scoring a pair reads of its records. */
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
  comparisons: readonly Comparison[],
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
  const rules = defaultBlockingRules(plan.identifiers);
  const { entries: lines, blocks } = await loadPartition(deps, ref, plan, rules);
  const comparisons = defaultComparisons(plan.identifiers);
  const sharing = new KeySharing(
    lines.map((line) => line.features),
    lines.map((line) => line.oversized),
    rules,
  );
  const { pairs, stats } = candidatePairs(blocks, sharing, rules, deps.settings.link.blocking);
  const used = new UsedRecords(lines);
  const left = Uint32Array.from(pairs.left, (line) => used.use(line));
  const right = Uint32Array.from(pairs.right, (line) => used.use(line));
  const { features } = used;
  const vectors = comparisonVectors(comparisons, features, left, right);
  const histogram = addToHistogram(new Map(), vectors, comparisons.length, pairs.mask);
  const home: MatchFeatures[] = [];
  lines.forEach((line, i) => {
    if (line.home) home.push(features[used.use(i)]);
  });
  const uSample = partitionUSample(deps, plan, ref, comparisons, home);
  await deps.objects.putBytes(
    { bucket: deps.buckets.work, key: workKeys.pairs(ref.runId, ref.partition) },
    encodePairs({
      left,
      right,
      rule: pairs.rule,
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
  return { partition: ref.partition, pairs: pairs.left.length, records: lines.length };
}
