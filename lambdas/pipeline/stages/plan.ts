import { BlockSizeCounter, defaultBlockingRules, tokenEnd, type BlockingRule } from '../../core/matching/blocking';
import { emptyTermFrequencies, mergeTermFrequencies, type TermFrequencies } from '../../core/matching/term-frequencies';
import { CrmMergeError } from '../../core/errors';
import { fnv1a, hashString } from '../../core/random';
import type { IngestResult, PartitionRef, PlanEvent, PlanResult } from '../contracts';
import type { PipelineDeps } from '../deps';
import { workKeys } from '../work-keys';

/** What the later stages need to know about the plan; stored in the work bucket, not passed in state. */
export interface RunPlan {
  runId: string;
  sources: string[];
  ingested: IngestResult[];
  identifiers: string[];
  records: number;
  partitions: number;
  /**
   * Record slots route fills (a record in a block it routes: see BlockSizeCounter.routedSlots), which sized the
   * partitions. Plans written by earlier versions lack it (see assertCurrentPlan).
   */
  routedSlots: number;
  refinedBlocks: number[];
  /**
   * A partition token with more keys than this is split: its blocks go to partitions by the token and the key's next
   * value (see partitioner). Absent in plans written before tokens were split: none is.
   */
  splitTokensOver?: number;
  /** Per tag, how many tokens are split. */
  splitTokens?: Record<string, number>;
  /** The date the run treats as today (staleness), fixed once so every stage agrees. */
  asOf: string;
}

/**
 * A record as routed to a partition, one JSON array per line: `[home, owned, oversized, features]`. `home` (1 or 0)
 * is set in exactly one of the record's partitions: the one whose compare job draws the record into its share of the
 * random pairs for u, so the partitions' samples together are a sample of the whole run without repeats. `owned`
 * lists the raw keys whose blocks this partition owns, `oversized` those whose blocks are over the cap (both as flat
 * [rule, key position, …], see oversizedKeys), and `features` is the encoded features row: compare builds the owned
 * keys from them and reads the others' sharing from the features, so no key travels and compare never hashes a key
 * to find its owner.
 */
export type PartitionLine = [home: 0 | 1, owned: number[], oversized: number[], features: unknown[]];

/**
 * Refuses a plan written by an earlier version (before plan wrote route's shared-key table and route counted its
 * left-out blocks per size): a run cannot be resumed across that change, only started again.
 */
export function assertCurrentPlan(plan: RunPlan): void {
  if ((plan.routedSlots as number | undefined) === undefined)
    throw new CrmMergeError(`run ${plan.runId} was planned by an earlier version of crm-merge: start it again instead of resuming it`);
}

/** The partition among a record's targets (sorted) whose random pairs for u include it. */
export const homePartition = (recordKey: string, targets: readonly number[]): number =>
  targets[hashString(recordKey) % targets.length];

/**
 * The partition owning each block: the hash of the rule's partition token when it has one ("tag|" and the key's
 * leading values), else of "rule|key". Hashed in place, without building the token (this runs for every key of
 * every record in route). A token `isHeavy` says is too heavy for one partition (the commonest surname sound holds
 * about 3.5% of the records, whatever the input's size, so at ten million per company its blocks alone would fill
 * several partitions) is hashed with the key's next value too: its blocks spread over the partitions, each block
 * still whole in one.
 */
export function partitioner(
  rules: readonly BlockingRule[],
  partitions: number,
  isHeavy?: (rule: number, key: string, tokenEnd: number) => boolean,
): (rule: number, key: string) => number {
  const prefixes = rules.map((rule, r) => fnv1a(rule.partitionToken ? `${rule.partitionToken.tag}|` : `${r}|`));
  return (rule, key) => {
    const token = rules[rule].partitionToken;
    if (!token) return fnv1a(key, prefixes[rule], 0, key.length) % partitions;
    let end = tokenEnd(key, token.parts);
    if (isHeavy?.(rule, key, end)) end = tokenEnd(key, token.parts + 1);
    return fnv1a(key, prefixes[rule], 0, end) % partitions;
  };
}

/** The run's partitioner: the plan's partition count, its tokens over the limit split by the run's token counts. */
export function runPartitioner(plan: RunPlan, counter: BlockSizeCounter): (rule: number, key: string) => number {
  const { splitTokensOver, splitTokens = {} } = plan;
  const rules = runRules(plan.ingested);
  // Only the tags with a split token ask: a lookup per key in a table of millions of tokens is a cache miss.
  const mayBeHeavy = rules.map((rule) => rule.partitionToken !== undefined && (splitTokens[rule.partitionToken.tag] ?? 0) > 0);
  return partitioner(
    rules,
    plan.partitions,
    splitTokensOver === undefined ? undefined : (rule, key, end) => mayBeHeavy[rule] && counter.tokenSize(rule, key, end) > splitTokensOver,
  );
}

/**
 * Tokens with more keys than half a partition's records are split: below that a token shares its partition with
 * others (hashing evens the load out); above it, the partition holding it would grow with the input.
 */
export const splitTokensOver = (recordsPerPartition: number): number => Math.floor(recordsPerPartition / 2);

/** A source's blocking rules, in its own order (its inputs and key counts are in that order). */
export const sourceRules = (ingested: IngestResult): BlockingRule[] => defaultBlockingRules(ingested.identifiers);

/** The identifiers of all the sources together: the run's comparisons and blocking rules depend on them. */
const runIdentifiers = (ingested: readonly IngestResult[]): string[] =>
  [...new Set(ingested.flatMap((result) => result.identifiers))].sort();

/** The run's blocking rules. */
export const runRules = (ingested: readonly IngestResult[]): BlockingRule[] => defaultBlockingRules(runIdentifiers(ingested));

/**
 * The run's block sizes: the sources' key counts (taken by ingest) added up, with no pass over the records; with
 * the sums of their members' hashes when `withMembers` (route's, to tell blocks of two by their pairs).
 */
export async function runBlockSizes(
  deps: PipelineDeps,
  runId: string,
  ingested: readonly IngestResult[],
  withMembers = false,
): Promise<BlockSizeCounter> {
  const counter = new BlockSizeCounter(runRules(ingested), withMembers);
  for (const result of ingested) {
    const bytes = await deps.objects.getBytes({ bucket: deps.buckets.work, key: workKeys.blockCounts(runId, result.source) });
    counter.addCounts(bytes, sourceRules(result));
  }
  return counter;
}

/**
 * The run's block sizes as route needs them: plan's table of the keys shared by two or more records (with member
 * sums) and of the partition tokens: a third of the bytes of the sources' tables (105 against 305 MB at a million
 * records per company), loaded once instead of adding up every source's, and a smaller table to look keys up in.
 */
export async function sharedBlockSizes(deps: PipelineDeps, plan: RunPlan): Promise<BlockSizeCounter> {
  const rules = runRules(plan.ingested);
  const counter = new BlockSizeCounter(rules, true);
  counter.addCounts(await deps.objects.getBytes({ bucket: deps.buckets.work, key: workKeys.sharedBlockCounts(plan.runId) }), rules);
  return counter;
}

/**
 * Plan: adds up the sources' block-key and term counts (written by ingest) and sizes the partitions from them. It
 * reads no record: the route jobs, one per source, then copy each record's features to the partitions owning its
 * blocks (route.ts), so the pass over the records runs on as many cores as there are sources.
 */
export async function planPartitions(deps: PipelineDeps, event: PlanEvent): Promise<PlanResult> {
  const { runId, ingested } = event;
  const { link } = deps.settings;
  const bucket = deps.buckets.work;
  const counter = await runBlockSizes(deps, runId, ingested, true);
  const termFrequencies = emptyTermFrequencies();
  for (const result of ingested) {
    const termsRef = { bucket, key: workKeys.sourceTermFrequencies(runId, result.source) };
    mergeTermFrequencies(termFrequencies, JSON.parse(await deps.objects.getText(termsRef)) as TermFrequencies);
  }
  const records = ingested.reduce((sum, result) => sum + result.rowsRead - result.rowsRejected, 0);
  const routedSlots = counter.routedSlots(link.blocking.maxBlockSize);
  const partitions = Math.max(1, Math.ceil(routedSlots / deps.settings.recordsPerPartition));
  const tokenLimit = splitTokensOver(deps.settings.recordsPerPartition);
  const plan: RunPlan = {
    runId,
    sources: ingested.map((result) => result.source),
    ingested,
    identifiers: runIdentifiers(ingested),
    records,
    partitions,
    routedSlots,
    refinedBlocks: counter.oversizedBlocks(link.blocking.maxBlockSize),
    splitTokensOver: tokenLimit,
    splitTokens: counter.heavyTokens(tokenLimit),
    asOf: deps.settings.asOf ?? deps.now().toISOString().slice(0, 10),
  };
  const put = (key: string, value: unknown): Promise<void> =>
    deps.objects.putText({ bucket, key }, JSON.stringify(value), 'application/json');
  // The plan last: a resumed run takes its presence to mean that plan's other files exist.
  await deps.objects.putBytes({ bucket, key: workKeys.sharedBlockCounts(runId) }, counter.toBytes(2));
  await put(workKeys.termFrequencies(runId), termFrequencies);
  await put(workKeys.plan(runId), plan);
  return planResult(plan);
}

/** The plan's state payload: the route items (one per source) and the partitions (the compare and score items). */
export function planResult(plan: RunPlan): PlanResult {
  const { runId } = plan;
  const partitions: PartitionRef[] = Array.from({ length: plan.partitions }, (_, partition) => ({
    runId,
    partition,
    key: workKeys.partition(runId, partition),
  }));
  return { runId, records: plan.records, routes: plan.sources.map((source) => ({ runId, source })), partitions };
}
