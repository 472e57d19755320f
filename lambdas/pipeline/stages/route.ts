import { refinedKey, type BlockingOptions, type BlockingRule, type BlockSizeCounter, type BlockKeys } from '../../core/matching/blocking';
import { decodeBlockingInputs, rawKeysOf, refineValueOf, runRulePositions } from '../../core/matching/blocking-inputs';
import { CrmMergeError } from '../../core/errors';
import { hashString } from '../../core/random';
import type { RouteEvent, RouteResult } from '../contracts';
import type { PipelineDeps } from '../deps';
import { lineForLine, MANY_UPLOADS_BUFFERING, NdjsonWriter, readNdjsonLineBytes, readNdjsonLines } from '../ndjson';
import { workKeys } from '../work-keys';
import { loadPlan } from './compare';
import { assertCurrentPlan, homePartition, runPartitioner, runRules, sharedBlockSizes, sourceRules } from './plan';

/**
 * Where the record goes: per partition owning one of its blocks of two or more records, the positions of the keys it
 * owns there as flat [rule, key position, …], and where its raw keys are over the cap (refined before routing).
 * Routed nowhere: a key alone in its block (it can neither form a pair nor be shared), and a block at most the cap
 * whose records are exactly an earlier block's, under an earlier rule or an earlier key of the same rule (the same
 * size and sum of member hashes): candidatePairs gives each of its pairs to that block or one before it, so compare
 * would only find them taken (`left` counts them per rule and size).
 */
function routeRecord(
  raw: BlockKeys,
  refineOf: (rule: number) => string,
  counter: BlockSizeCounter,
  options: BlockingOptions,
  partitionOf: (rule: number, key: string) => number,
  left: LeftOutBlocks,
): { owned: Map<number, number[]>; oversized: number[] } {
  // The record's keys in blocks of two or more, in rule and key order; a block at most the cap also named by its set.
  const rules: number[] = [];
  const positions: number[] = [];
  const keys: string[] = [];
  const sizes: number[] = [];
  const sets: number[] = [];
  raw.forEach((ruleKeys, r) =>
    ruleKeys.forEach((key, k) => {
      const slot = counter.slotOf(r, key);
      const size = counter.sizeAt(slot);
      if (size < 2) return;
      rules.push(r);
      positions.push(k);
      keys.push(key);
      sizes.push(size);
      sets.push(size <= options.maxBlockSize ? counter.membersAt(slot) : NOT_A_SET);
    }),
  );
  // Where candidatePairs puts a pair: under the first rule sharing a key, at the smallest shared key.
  const takenEarlier = (e: number): boolean => {
    for (let d = 0; d < sets.length; d++)
      if (d !== e && sets[d] === sets[e] && sizes[d] === sizes[e] && (rules[d] < rules[e] || (rules[d] === rules[e] && keys[d] < keys[e])))
        return true;
    return false;
  };
  const owned = new Map<number, number[]>();
  const oversized: number[] = [];
  for (let e = 0; e < keys.length; e++) {
    const r = rules[e];
    if (sets[e] !== NOT_A_SET && takenEarlier(e)) {
      left.add(r, sizes[e]);
      continue;
    }
    const over = sizes[e] > options.maxBlockSize;
    if (over) oversized.push(r, positions[e]);
    const p = partitionOf(r, over ? refinedKey(keys[e], refineOf(r)) : keys[e]);
    const partition = owned.get(p);
    if (partition) partition.push(r, positions[e]);
    else owned.set(p, [r, positions[e]]);
  }
  return { owned, oversized };
}

/** Not a block at most the cap (member sums are never negative). */
const NOT_A_SET = -1;

/** Per rule and block size, the records' memberships of blocks route left out (each block counted by each member). */
class LeftOutBlocks {
  private readonly memberships: Map<number, number>[];

  constructor(private readonly rules: readonly BlockingRule[]) {
    this.memberships = rules.map(() => new Map());
  }

  add(rule: number, size: number): void {
    this.memberships[rule].set(size, (this.memberships[rule].get(size) ?? 0) + 1);
  }

  /** As RouteResult.duplicateBlocks: per rule name, per block size, the memberships. */
  toJSON(): Record<string, Record<string, number>> {
    return Object.fromEntries(this.rules.map((rule, r) => [rule.name, Object.fromEntries(this.memberships[r])]));
  }
}

/**
 * Route one source: a streaming pass over its records' blocking inputs (keys and refine values, written by ingest)
 * copies each record's features line (bytes, never decoded here) to every partition owning one of its blocks of two
 * or more records, with the positions of the keys it owns there and of its keys over the cap, and marks its home
 * partition (the compare jobs draw the random pairs for u, in parallel, each from its home records). Writes one part
 * per partition, empty or not, then the source's `routed` marker (what a resumed run checks). Holds the run's shared
 * key counts (plan's), never the records.
 */
export async function routeSource(deps: PipelineDeps, event: RouteEvent): Promise<RouteResult> {
  const { runId, source } = event;
  const bucket = deps.buckets.work;
  const plan = await loadPlan(deps, runId);
  assertCurrentPlan(plan);
  const ingested = plan.ingested.find((result) => result.source === source);
  if (!ingested) throw new CrmMergeError(`run ${runId} has no source "${source}" to route`);
  const rules = runRules(plan.ingested);
  const positions = runRulePositions(rules, sourceRules(ingested));
  const counter = await sharedBlockSizes(deps, plan);
  const partitionOf = runPartitioner(plan, counter);
  const options = deps.settings.link.blocking;

  // One upload per partition at once: minimum-size parts, one uploading while the next fills, so memory grows about
  // 19 MB per partition (measured, docs/benchmarks.md) rather than about 45 MB with 8 MB parts and four in flight.
  const writers = Array.from(
    { length: plan.partitions },
    (_, p) => new NdjsonWriter(deps.objects, { bucket, key: workKeys.partitionPart(runId, p, source) }, MANY_UPLOADS_BUFFERING),
  );
  let records = 0;
  let lines = 0;
  const left = new LeftOutBlocks(rules);
  try {
    // The blocking inputs and the features list the source's records in the same order.
    const pairs = lineForLine(
      readNdjsonLines(deps.objects, { bucket, key: workKeys.blockingInputs(runId, source) }),
      readNdjsonLineBytes(deps.objects, { bucket, key: workKeys.features(runId, source) }),
      { lines: 'its blocking inputs', beside: `features of source "${source}"` },
    );
    for await (const [line, featureBytes] of pairs) {
      const inputs = decodeBlockingInputs(line);
      records++;
      const refineOf = (rule: number): string => refineValueOf(inputs, positions, rule);
      const { owned, oversized } = routeRecord(rawKeysOf(inputs, positions), refineOf, counter, options, partitionOf, left);
      // A record sharing no key with any other still belongs in the random pairs for u: one copy, for that alone.
      if (owned.size === 0) owned.set(hashString(inputs.key) % plan.partitions, []);
      // The PartitionLine around the features' bytes, copied neither parsed nor decoded.
      const oversizedText = `,${JSON.stringify(oversized)},`;
      const sorted = [...owned.keys()].sort((a, b) => a - b);
      const home = homePartition(inputs.key, sorted);
      for (const p of sorted)
        await writers[p].writeLineParts(`[${p === home ? 1 : 0},${JSON.stringify(owned.get(p))}${oversizedText}`, featureBytes, ']');
      lines += sorted.length;
    }
  } finally {
    await Promise.all(writers.map((writer) => writer.close()));
  }
  const expected = ingested.rowsRead - ingested.rowsRejected;
  if (records !== expected) throw new CrmMergeError(`ingest counted ${expected} records of source "${source}", route read ${records}`);
  const result: RouteResult = { source, records, lines, duplicateBlocks: left.toJSON() };
  await deps.objects.putText({ bucket, key: workKeys.routed(runId, source) }, JSON.stringify(result), 'application/json');
  return result;
}
