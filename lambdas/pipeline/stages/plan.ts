import {
  BlockSizeCounter,
  defaultBlockingRules,
  refinedKey,
  tokenEnd,
  type BlockingOptions,
  type BlockingRule,
  type BlockKeys,
} from '../../core/matching/blocking';
import {
  decodeBlockingInputs,
  rawKeysOf,
  refineValueOf,
  runRulePositions,
  type BlockingInputs,
} from '../../core/matching/blocking-inputs';
import { CrmMergeError } from '../../core/errors';
import { emptyTermFrequencies, mergeTermFrequencies, type TermFrequencies } from '../../core/matching/term-frequencies';
import { fnv1a, hashString } from '../../core/random';
import type { IngestResult, PartitionRef, PlanEvent, PlanResult } from '../contracts';
import type { PipelineDeps } from '../deps';
import { NdjsonWriter, readNdjsonLineBytes, readNdjsonLines } from '../ndjson';
import { workKeys } from '../work-keys';

/** What the later stages need to know about the plan; stored in the work bucket, not passed in state. */
export interface RunPlan {
  runId: string;
  sources: string[];
  ingested: IngestResult[];
  identifiers: string[];
  records: number;
  partitions: number;
  refinedBlocks: number[];
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

/** The partition among a record's targets (sorted) whose random pairs for u include it. */
export const homePartition = (recordKey: string, targets: readonly number[]): number =>
  targets[hashString(recordKey) % targets.length];

const PARTITION_BUFFERING = { partSizeBytes: 5 * 1024 * 1024, queueSize: 1 } as const;

/**
 * The partition owning each block: the hash of the rule's partition token when it has one ("tag|" and the key's
 * leading values), else of "rule|key". Hashed in place, without building the token (this runs for every key of
 * every record in plan and in each compare job).
 */
export function partitioner(rules: readonly BlockingRule[], partitions: number): (rule: number, key: string) => number {
  const prefixes = rules.map((rule, r) => fnv1a(rule.partitionToken ? `${rule.partitionToken.tag}|` : `${r}|`));
  return (rule, key) => {
    const token = rules[rule].partitionToken;
    return fnv1a(key, prefixes[rule], 0, token ? tokenEnd(key, token.parts) : key.length) % partitions;
  };
}

/**
 * Where the record goes: per partition owning one of its blocks of two or more records, the positions of the keys it
 * owns there as flat [rule, key position, …] (a key alone in its block can neither form a pair nor be shared, so it
 * routes nowhere), and where its raw keys are over the cap (refined before routing).
 */
function routeRecord(
  raw: BlockKeys,
  refineOf: (rule: number) => string,
  counter: BlockSizeCounter,
  options: BlockingOptions,
  partitionOf: (rule: number, key: string) => number,
): { owned: Map<number, number[]>; oversized: number[] } {
  const owned = new Map<number, number[]>();
  const oversized: number[] = [];
  raw.forEach((ruleKeys, r) =>
    ruleKeys.forEach((key, k) => {
      const size = counter.size(r, key);
      if (size < 2) return;
      if (size > options.maxBlockSize) oversized.push(r, k);
      const p = partitionOf(r, size > options.maxBlockSize ? refinedKey(key, refineOf(r)) : key);
      const positions = owned.get(p);
      if (positions) positions.push(r, k);
      else owned.set(p, [r, k]);
    }),
  );
  return { owned, oversized };
}

/**
 * Plan: adds up the sources' block-key and term counts (written by ingest), then one streaming pass over the records'
 * blocking inputs (keys and refine values, written by ingest) routes every record's features to each partition that
 * owns one of its blocks of two or more records, copying the features' line (bytes, never decoded here) once per
 * partition with the positions of the keys it owns there and of its keys over the cap, and marks its home partition
 * (the compare jobs draw the random pairs for u, in parallel, each from its home records). Holds key counts, never
 * the records.
 */
export async function planPartitions(deps: PipelineDeps, event: PlanEvent): Promise<PlanResult> {
  const { runId } = event;
  const { link } = deps.settings;
  const bucket = deps.buckets.work;
  const identifiers = [...new Set(event.ingested.flatMap((result) => result.identifiers))].sort();
  const rules = defaultBlockingRules(identifiers);
  // Each source's blocking inputs and key counts are in its own rules' order.
  const sources = event.ingested.map((result) => {
    const sourceRules = defaultBlockingRules(result.identifiers);
    return { name: result.source, sourceRules, positions: runRulePositions(rules, sourceRules) };
  });
  /** The blocking inputs with the features' line of the same record (the two files list records in the same order). */
  const readRecords = async function* (): AsyncGenerator<{ inputs: BlockingInputs; positions: number[]; features: Buffer }> {
    for (const { name, positions } of sources) {
      const featureLines = readNdjsonLineBytes(deps.objects, { bucket, key: workKeys.features(runId, name) });
      for await (const line of readNdjsonLines(deps.objects, { bucket, key: workKeys.blockingInputs(runId, name) })) {
        const next = await featureLines.next();
        if (next.done) throw new CrmMergeError(`features of source "${name}" end before its blocking inputs`);
        yield { inputs: decodeBlockingInputs(line), positions, features: next.value };
      }
      if (!(await featureLines.next()).done) throw new CrmMergeError(`features of source "${name}" outnumber its blocking inputs`);
    }
  };

  // The block sizes and term frequencies are the sources' counts (taken by ingest) added up: no pass over the records.
  const counter = new BlockSizeCounter(rules);
  const termFrequencies = emptyTermFrequencies();
  for (const { name, sourceRules } of sources) {
    counter.addCounts(await deps.objects.getBytes({ bucket, key: workKeys.blockCounts(runId, name) }), sourceRules);
    const termsRef = { bucket, key: workKeys.sourceTermFrequencies(runId, name) };
    mergeTermFrequencies(termFrequencies, JSON.parse(await deps.objects.getText(termsRef)) as TermFrequencies);
  }
  const expectedRecords = event.ingested.reduce((sum, result) => sum + result.rowsRead - result.rowsRejected, 0);
  const partitions = Math.max(1, Math.ceil(counter.pairedSlots() / deps.settings.recordsPerPartition));
  const partitionOf = partitioner(rules, partitions);

  // One upload per partition at once: minimum-size parts, one in flight each, so memory grows about 19 MB per
  // partition (measured, docs/benchmarks.md) rather than about 45 MB with 8 MB parts and four in flight.
  const writers = Array.from(
    { length: partitions },
    (_, p) => new NdjsonWriter(deps.objects, { bucket, key: workKeys.partition(runId, p) }, PARTITION_BUFFERING),
  );
  let records = 0;
  try {
    for await (const { inputs, positions, features } of readRecords()) {
      records++;
      const refineOf = (rule: number): string => refineValueOf(inputs, positions, rule);
      const { owned, oversized } = routeRecord(rawKeysOf(inputs, positions), refineOf, counter, link.blocking, partitionOf);
      // A record sharing no key with any other still belongs in the random pairs for u: one copy, for that alone.
      if (owned.size === 0) owned.set(hashString(inputs.key) % partitions, []);
      // The PartitionLine around the features' bytes, copied neither parsed nor decoded.
      const oversizedText = `,${JSON.stringify(oversized)},`;
      const sorted = [...owned.keys()].sort((a, b) => a - b);
      const home = homePartition(inputs.key, sorted);
      for (const p of sorted)
        await writers[p].writeLineParts(`[${p === home ? 1 : 0},${JSON.stringify(owned.get(p))}${oversizedText}`, features, ']');
    }
  } finally {
    await Promise.all(writers.map((writer) => writer.close()));
  }
  if (records !== expectedRecords) throw new CrmMergeError(`ingest counted ${expectedRecords} records, plan routed ${records}`);

  const plan: RunPlan = {
    runId,
    sources: sources.map((source) => source.name),
    ingested: event.ingested,
    identifiers,
    records,
    partitions,
    refinedBlocks: counter.oversizedBlocks(link.blocking.maxBlockSize),
    asOf: deps.settings.asOf ?? deps.now().toISOString().slice(0, 10),
  };
  const put = (key: string, value: unknown): Promise<void> =>
    deps.objects.putText({ bucket, key }, JSON.stringify(value), 'application/json');
  await put(workKeys.plan(runId), plan);
  await put(workKeys.termFrequencies(runId), termFrequencies);
  const refs: PartitionRef[] = Array.from({ length: partitions }, (_, partition) => ({
    runId,
    partition,
    key: workKeys.partition(runId, partition),
  }));
  return { runId, records, partitions: refs };
}
