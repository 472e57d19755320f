import {
  BlockSizeCounter,
  defaultBlockingRules,
  refineBlockKeys,
  type BlockingRule,
} from '../../core/matching/blocking';
import { rawKeysOf, type BlockingInputs } from '../../core/matching/blocking-inputs';
import { CrmMergeError } from '../../core/errors';
import type { MatchFeatures } from '../../core/matching/features';
import { addTermFrequencies, emptyTermFrequencies } from '../../core/matching/term-frequencies';
import { hashString } from '../../core/random';
import type { IngestResult, PartitionRef, PlanEvent, PlanResult } from '../contracts';
import type { PipelineDeps } from '../deps';
import { NdjsonWriter, readNdjson, readNdjsonLines } from '../ndjson';
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

/** A record as routed to a partition: its comparison view and its effective block keys per rule. */
export interface PartitionLine {
  features: MatchFeatures;
  keys: string[][];
  /**
   * Set in exactly one of the record's partitions: the one whose compare job draws the record into its share of the
   * random pairs for u, so the partitions' samples together are a sample of the whole run without repeats.
   */
  home?: true;
}

/** The partition among a record's targets (sorted) whose random pairs for u include it. */
export const homePartition = (recordKey: string, targets: readonly number[]): number =>
  targets[hashString(recordKey) % targets.length];

const PARTITION_BUFFERING = { partSizeBytes: 5 * 1024 * 1024, queueSize: 1 } as const;

/** The partition owning each block: by the rule's partition token when it has one, else by rule and key. */
export function partitioner(rules: readonly BlockingRule[], partitions: number): (rule: number, key: string) => number {
  return (rule, key) => {
    const token = rules[rule].partitionToken?.(key);
    return hashString(token ?? `${rule}|${key}`) % partitions;
  };
}

/**
 * Plan: two streaming passes over the records' blocking inputs (keys, refine and term values, written by ingest). The
 * first counts block sizes and term frequencies; the second routes every record's features to each partition that
 * owns one of its blocks of two or more records, copying the features' text (never parsed here) once per partition,
 * and marks its home partition (the compare jobs draw the random pairs for u, in parallel, each from its home
 * records). Holds key counts, never the records.
 */
export async function planPartitions(deps: PipelineDeps, event: PlanEvent): Promise<PlanResult> {
  const { runId } = event;
  const { link } = deps.settings;
  const bucket = deps.buckets.work;
  const sources = event.ingested.map((result) => result.source);
  const readInputs = async function* (): AsyncGenerator<BlockingInputs> {
    for (const source of sources)
      yield* readNdjson<BlockingInputs>(deps.objects, { bucket, key: workKeys.blockingInputs(runId, source) });
  };
  /** The blocking inputs with the features' text of the same record (the two files list records in the same order). */
  const readRecords = async function* (): AsyncGenerator<{ inputs: BlockingInputs; text: string }> {
    for (const source of sources) {
      const texts = readNdjsonLines(deps.objects, { bucket, key: workKeys.features(runId, source) });
      for await (const inputs of readNdjson<BlockingInputs>(deps.objects, { bucket, key: workKeys.blockingInputs(runId, source) })) {
        const next = await texts.next();
        if (next.done) throw new CrmMergeError(`features of source "${source}" end before its blocking inputs`);
        yield { inputs, text: next.value };
      }
      if (!(await texts.next()).done) throw new CrmMergeError(`features of source "${source}" outnumber its blocking inputs`);
    }
  };

  const identifiers = [...new Set(event.ingested.flatMap((result) => result.identifiers))].sort();
  let records = 0;
  const rules = defaultBlockingRules(identifiers);
  const counter = new BlockSizeCounter(rules);
  const termFrequencies = emptyTermFrequencies();
  for await (const inputs of readInputs()) {
    records++;
    counter.add(rawKeysOf(inputs, rules));
    addTermFrequencies(termFrequencies, inputs.terms);
  }
  const partitions = Math.max(1, Math.ceil(counter.pairedSlots() / deps.settings.recordsPerPartition));
  const partitionOf = partitioner(rules, partitions);
  const refineOf = (inputs: BlockingInputs) => (rule: number): string => inputs.refine[rules[rule].name] ?? '-';

  // One upload per partition at once: minimum-size parts, one in flight each, so memory grows about 19 MB per
  // partition (measured, docs/benchmarks.md) rather than about 45 MB with 8 MB parts and four in flight.
  const writers = Array.from(
    { length: partitions },
    (_, p) => new NdjsonWriter(deps.objects, { bucket, key: workKeys.partition(runId, p) }, PARTITION_BUFFERING),
  );
  try {
    for await (const { inputs, text } of readRecords()) {
      const raw = counter.withoutSingletons(rawKeysOf(inputs, rules));
      const keys = refineBlockKeys(refineOf(inputs), raw, counter, link.blocking);
      const targets = new Set<number>();
      keys.forEach((ruleKeys, r) => ruleKeys.forEach((key) => targets.add(partitionOf(r, key))));
      // A record sharing no key with any other still belongs in the random pairs for u: one copy, for that alone.
      if (targets.size === 0) targets.add(hashString(inputs.key) % partitions);
      // A PartitionLine with the keys first (compare splits off the features unparsed), encoded once for all targets.
      const keysField = `{"keys":${JSON.stringify(keys)}`;
      const featuresField = `,"features":${text}}`;
      const sorted = [...targets].sort((a, b) => a - b);
      const home = homePartition(inputs.key, sorted);
      for (const p of sorted)
        await writers[p].writeLine(p === home ? `${keysField},"home":true${featuresField}` : `${keysField}${featuresField}`);
    }
  } finally {
    await Promise.all(writers.map((writer) => writer.close()));
  }

  const plan: RunPlan = {
    runId,
    sources: event.ingested.map((result) => result.source),
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
