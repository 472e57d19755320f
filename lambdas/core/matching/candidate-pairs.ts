import {
  applyRefinements,
  BlockSizeCounter,
  DEFAULT_BLOCKING_OPTIONS,
  isOversized,
  oversizedKeys,
  rawBlockKeys,
  refinedKey,
  refineRuleKeys,
  ruleKeys,
  type BlockingOptions,
  type BlockingRule,
  type BlockKeys,
  type RuleStats,
} from './blocking';
import type { MatchFeatures } from './features';

/**
 * Candidate pairs as parallel arrays of record indices (left < right) with the rule that produced each pair and a
 * bit mask of every rule the pair satisfies (EM trains one session per rule on the pairs satisfying it).
 */
export interface CandidatePairs {
  left: Uint32Array;
  right: Uint32Array;
  rule: Uint8Array;
  mask: Int32Array;
}

/**
 * Pairs a block of `members` records yields before deduplication: all of them, or those within the window of an
 * oversized block. An upper bound on what the block adds to the candidate pairs, so the arrays are allocated once.
 */
export function blockPairSlots(members: number, window: number): number {
  if (members < 2) return 0;
  if (members <= window) return (members * (members - 1)) / 2;
  // Each of the first members - window records pairs with the window - 1 after it; the last window ones with the rest.
  return (members - window) * (window - 1) + (window * (window - 1)) / 2;
}

/**
 * Per rule, the blocks a caller owns: effective key -> member record indices in ascending order. A partition owns the
 * blocks whose keys hash to it (plan lists them per record); an in-memory run owns them all.
 */
export type OwnedBlocks = Map<string, number[]>[];

export const emptyBlocks = (rules: readonly BlockingRule[]): OwnedBlocks => rules.map(() => new Map<string, number[]>());

/** Adds a record to a block; records must be added in ascending index order (windows follow that order). */
export function addToBlock(blocks: OwnedBlocks, rule: number, key: string, record: number): void {
  const members = blocks[rule].get(key);
  if (members) members.push(record);
  else blocks[rule].set(key, [record]);
}

/** Every block of records held in memory, from their effective keys (all owned here). */
export function blocksOf(keys: readonly BlockKeys[], rules: readonly BlockingRule[]): OwnedBlocks {
  const blocks = emptyBlocks(rules);
  keys.forEach((recordKeys, i) => recordKeys.forEach((ruleKeys, r) => ruleKeys.forEach((key) => addToBlock(blocks, r, key, i))));
  return blocks;
}

/** Positions of raw keys over the cap, flat [rule, key position, …]: the shared value for a record with none. */
export const NO_POSITIONS: readonly number[] = Object.freeze([]);

/** A record's effective key at a raw key position of a rule: the raw key, refined if it is over the cap. */
export function effectiveKeyAt(
  rules: readonly BlockingRule[],
  rule: number,
  position: number,
  record: MatchFeatures,
  oversized: readonly number[],
): string {
  const raw = ruleKeys(rules[rule], record)[position];
  return isOversized(oversized, rule, position) ? refinedKey(raw, rules[rule].refine(record)) : raw;
}

/** One rule's effective keys for a record: its raw keys, refined where plan (or the counts) put them over the cap. */
export function effectiveRuleKeys(rules: readonly BlockingRule[], rule: number, record: MatchFeatures, oversized: readonly number[]): readonly string[] {
  return refineRuleKeys(ruleKeys(rules[rule], record), rule, oversized, () => rules[rule].refine(record));
}

/**
 * Whether two records share an effective block key under a rule, decided from their features and the positions of
 * their keys over the cap, without building their keys: a rule with `sameKey` compares the values its key joins,
 * and two records with the same raw key are either both refined (then their refine values must agree too) or both
 * not, since a block's size is counted over the whole run.
 */
export class KeySharing {
  constructor(
    private readonly records: readonly MatchFeatures[],
    private readonly oversized: readonly (readonly number[])[],
    private readonly rules: readonly BlockingRule[],
  ) {}

  shares(rule: number, i: number, j: number): boolean {
    const { sameKey, refine } = this.rules[rule];
    const a = this.records[i];
    const b = this.records[j];
    if (sameKey) return sameKey(a, b) && (!isOversized(this.oversized[i], rule, 0) || refine(a) === refine(b));
    const ka = ruleKeys(this.rules[rule], a);
    const kb = ruleKeys(this.rules[rule], b);
    for (let x = 0; x < ka.length; x++)
      for (let y = 0; y < kb.length; y++)
        if (ka[x] === kb[y] && (!isOversized(this.oversized[i], rule, x) || refine(a) === refine(b))) return true;
    return false;
  }

  /** Whether they share an effective key of the rule smaller than `key`: the pair then belongs to that key's block. */
  sharesSmaller(rule: number, i: number, j: number, key: string): boolean {
    // Two records sharing the block of `key` can share a smaller key only if each has several keys under the rule.
    if (this.rules[rule].sameKey) return false;
    const a = this.records[i];
    const b = this.records[j];
    if (ruleKeys(this.rules[rule], a).length < 2 || ruleKeys(this.rules[rule], b).length < 2) return false;
    const kb = effectiveRuleKeys(this.rules, rule, b, this.oversized[j]);
    for (const x of effectiveRuleKeys(this.rules, rule, a, this.oversized[i])) {
      if (x >= key) break;
      if (kb.includes(x)) return true;
    }
    return false;
  }
}

/**
 * Generates the deduplicated candidate pairs of the owned blocks: a pair belongs to the first rule (in rule order)
 * under which its records share a key and to the smallest such key, so each pair is produced once wherever its
 * blocks are; `sharing` answers for the other rules' keys.
 */
export function candidatePairs(
  blocks: OwnedBlocks,
  sharing: KeySharing,
  rules: readonly BlockingRule[],
  options: BlockingOptions = DEFAULT_BLOCKING_OPTIONS,
): { pairs: CandidatePairs; stats: RuleStats[] } {
  const stats: RuleStats[] = rules.map((rule) => ({
    rule: rule.name,
    description: rule.description,
    pairs: 0,
    blocks: 0,
    largestBlock: 0,
    refinedBlocks: 0,
    windowedBlocks: 0,
  }));
  const windowOf = (members: number): number => (members > options.maxBlockSize ? options.windowSize : members);
  // Typed arrays sized once by the blocks' pairs before deduplication: growing four number arrays by a million
  // entries each cost a large partition's compare job a third of a second, mostly in the collector.
  let slots = 0;
  for (const ruleBlocks of blocks) for (const members of ruleBlocks.values()) slots += blockPairSlots(members.length, windowOf(members.length));
  const left = new Uint32Array(slots);
  const right = new Uint32Array(slots);
  const ruleOf = new Uint8Array(slots);
  const masks = new Int32Array(slots);
  let count = 0;
  rules.forEach((_, r) => {
    for (const key of [...blocks[r].keys()].sort()) {
      const members = blocks[r].get(key) as number[];
      if (members.length < 2) continue;
      stats[r].blocks++;
      stats[r].largestBlock = Math.max(stats[r].largestBlock, members.length);
      const window = windowOf(members.length);
      if (members.length > options.maxBlockSize) stats[r].windowedBlocks++;
      for (let x = 0; x < members.length; x++) {
        const i = members[x];
        const end = Math.min(members.length, x + window);
        for (let y = x + 1; y < end; y++) {
          const j = members[y];
          if (sharing.sharesSmaller(r, i, j, key)) continue;
          let earlier = false;
          for (let q = 0; q < r && !earlier; q++) earlier = sharing.shares(q, i, j);
          if (earlier) continue;
          let mask = 1 << r;
          for (let q = r + 1; q < rules.length; q++) if (sharing.shares(q, i, j)) mask |= 1 << q;
          left[count] = i < j ? i : j;
          right[count] = i < j ? j : i;
          ruleOf[count] = r;
          masks[count] = mask;
          count++;
          stats[r].pairs++;
        }
      }
    }
  });
  const pairs: CandidatePairs = {
    left: left.subarray(0, count),
    right: right.subarray(0, count),
    rule: ruleOf.subarray(0, count),
    mask: masks.subarray(0, count),
  };
  return { pairs, stats };
}

/** Effective keys of records held in memory, the positions of their keys over the cap, and the blocks refined. */
export function effectiveBlockKeys(
  records: readonly MatchFeatures[],
  rules: readonly BlockingRule[],
  options: BlockingOptions = DEFAULT_BLOCKING_OPTIONS,
): { keys: BlockKeys[]; oversized: number[][]; refinedBlocks: number[] } {
  const counter = new BlockSizeCounter(rules);
  const raw = records.map((record) => rawBlockKeys(record, rules));
  for (const recordKeys of raw) counter.add(recordKeys);
  const oversized = raw.map((recordKeys) => oversizedKeys(recordKeys, counter, options));
  const keys = records.map((record, i) => applyRefinements(raw[i], oversized[i], (r) => rules[r].refine(record)));
  return { keys, oversized, refinedBlocks: counter.oversizedBlocks(options.maxBlockSize) };
}

/** Blocks every record held in memory (all blocks owned here): the candidate pairs, with the refined blocks counted. */
export function blockRecords(
  records: readonly MatchFeatures[],
  rules: readonly BlockingRule[],
  options: BlockingOptions = DEFAULT_BLOCKING_OPTIONS,
): { pairs: CandidatePairs; stats: RuleStats[] } {
  const { keys, oversized, refinedBlocks } = effectiveBlockKeys(records, rules, options);
  const result = candidatePairs(blocksOf(keys, rules), new KeySharing(records, oversized, rules), rules, options);
  result.stats.forEach((stats, r) => (stats.refinedBlocks = refinedBlocks[r]));
  return result;
}
