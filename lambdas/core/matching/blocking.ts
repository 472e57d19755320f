import type { MatchFeatures } from './features';
import { fnv1a } from '../random';
import { KeyCounts, type MemberHash } from './key-counts';

/**
 * Blocking rules in Splink's sense: each is an equality join on a derived key, and only records sharing a key are
 * compared. A record may have several keys for one rule (two emails). The rules' candidate pairs are unioned
 * without duplicates: a pair belongs to the first rule (in rule order) under which it shares a block key, and to
 * the smallest shared key within that rule, so every partition can decide ownership locally.
 */
export interface BlockingRule {
  name: string;
  description: string;
  /** Comparisons this rule forces to agree: EM leaves them out of the training session on this rule's pairs. */
  uses: readonly string[];
  keys(record: MatchFeatures): readonly string[];
  /**
   * For a rule that gives a record at most one key: whether two records' keys are equal, read from their features
   * without building the keys (compare checks every candidate pair against every other rule). Agrees with `keys`.
   */
  sameKey?(a: MatchFeatures, b: MatchFeatures): boolean;
  /** Splits an oversized block: appended to the key for the records of a block larger than the size cap. */
  refine(record: MatchFeatures): string;
  /**
   * The part of a key (raw or refined) that decides which partition owns its block: the tag and the key's first
   * `parts` '|'-separated values. Rules giving a record the same token (its surname sound under two rules) send it to
   * one partition instead of two; rules without one use the rule and the whole key.
   */
  partitionToken?: PartitionToken;
}

export interface PartitionToken {
  tag: string;
  parts: number;
}

/**
 * Where a key's token ends: before its `parts`-th '|', or the whole key when it has fewer, but never past a '#': a
 * refined key ("JN|SM0#19800203", refinedKey) has the token of its raw block, also when the token is the whole raw key.
 */
export function tokenEnd(key: string, parts: number): number {
  const refinement = key.indexOf('#');
  const whole = refinement === -1 ? key.length : refinement;
  let end = -1;
  for (let i = 0; i < parts; i++) {
    end = key.indexOf('|', end + 1);
    if (end === -1 || end > whole) return whole;
  }
  return end;
}

const bySurnameSound: PartitionToken = { tag: 'surname-sound', parts: 1 };
const byFirstSound: PartitionToken = { tag: 'first-sound', parts: 1 };
const byHouse: PartitionToken = { tag: 'house', parts: 2 };
const byNameSounds: PartitionToken = { tag: 'name-sounds', parts: 2 };

/**
 * A record's first-name and surname sounds in sorted order ("JN|SM0"): the key of name_sounds_any_order, and the
 * leading values of same_name's key, so the two rules share a partition token. Nearly every record of a merge has a
 * same-name partner, so sharing saves about one partition copy per record.
 */
const sortedSounds = (r: MatchFeatures): string | null =>
  r.firstSound === null || r.lastSound === null ? null : [r.firstSound, r.lastSound].sort().join('|');

const one = (value: string | null): string[] => (value === null ? [] : [value]);
const both = (a: string | null, b: string | null): string[] => (a === null || b === null ? [] : [`${a}|${b}`]);
/** Whether `both(a1, a2)` equals `both(b1, b2)` and is a key: the values are never null on one side alone. */
const bothSame = (a1: string | null, a2: string | null, b1: string | null, b2: string | null): boolean =>
  a1 !== null && a2 !== null && a1 === b1 && a2 === b2;
const refineByNameAndYear = (r: MatchFeatures): string => `${r.firstSound ?? '-'}|${r.dobYear ?? '-'}`;
const refineByBirthDate = (r: MatchFeatures): string => r.dob ?? r.firstSound ?? '-';

export function defaultBlockingRules(identifiers: readonly string[]): BlockingRule[] {
  const identifierRules = [...identifiers].sort().map(
    (identifier): BlockingRule => ({
      name: `same_${identifier}`,
      description: `same identifier "${identifier}"`,
      uses: [`id_${identifier}`],
      keys: (r) => one(r.identifiers[identifier] ?? null),
      sameKey: (a, b) => {
        const value = a.identifiers[identifier];
        return value !== undefined && value !== null && value === b.identifiers[identifier];
      },
      refine: refineByNameAndYear,
    }),
  );
  return [
    { name: 'same_email', description: 'same email (provider rules applied)', uses: ['email'], keys: (r) => r.emails, refine: refineByBirthDate },
    { name: 'same_phone', description: 'same phone (E.164)', uses: ['phone'], keys: (r) => r.phones, refine: refineByNameAndYear },
    ...identifierRules,
    {
      name: 'same_name',
      description: 'same canonical first name and surname',
      uses: ['first_name', 'first_name_gender', 'surname'],
      // The sounds lead the key but split nothing: they are derived from the canonical first name and the surname.
      keys: (r) =>
        r.firstCanonical === null || r.lastCompact === null ? [] : [`${sortedSounds(r) ?? '-'}|${r.firstCanonical}|${r.lastCompact}`],
      sameKey: (a, b) => bothSame(a.firstCanonical, a.lastCompact, b.firstCanonical, b.lastCompact),
      refine: refineByBirthDate,
      partitionToken: byNameSounds,
    },
    {
      name: 'name_sounds_any_order',
      description: 'same first-name and surname sounds, in either order (catches swapped name fields)',
      uses: ['first_name', 'surname'],
      keys: (r) => one(sortedSounds(r)),
      sameKey: (a, b) =>
        a.firstSound !== null &&
        a.lastSound !== null &&
        ((a.firstSound === b.firstSound && a.lastSound === b.lastSound) ||
          (a.firstSound === b.lastSound && a.lastSound === b.firstSound)),
      refine: refineByBirthDate,
      partitionToken: byNameSounds,
    },
    {
      name: 'surname_sound_birth_year',
      description: 'same surname sound (Double Metaphone) and birth year',
      uses: ['surname', 'date_of_birth'],
      keys: (r) => both(r.lastSound, r.dobYear),
      sameKey: (a, b) => bothSame(a.lastSound, a.dobYear, b.lastSound, b.dobYear),
      refine: (r) => r.firstSound ?? '-',
      partitionToken: bySurnameSound,
    },
    {
      name: 'first_sound_birth_date',
      description: 'same first-name sound and date of birth',
      uses: ['first_name', 'date_of_birth'],
      keys: (r) => both(r.firstSound, r.dob),
      sameKey: (a, b) => bothSame(a.firstSound, a.dob, b.firstSound, b.dob),
      refine: (r) => r.postcode ?? '-',
      partitionToken: byFirstSound,
    },
    {
      name: 'birth_date_postcode',
      description: 'same date of birth and postcode',
      uses: ['date_of_birth', 'address'],
      keys: (r) => both(r.dob, r.postcode),
      sameKey: (a, b) => bothSame(a.dob, a.postcode, b.dob, b.postcode),
      refine: (r) => r.firstSound ?? '-',
    },
    {
      name: 'first_sound_postcode',
      description: 'same first-name sound and postcode',
      uses: ['first_name', 'address'],
      keys: (r) => both(r.firstSound, r.postcode),
      sameKey: (a, b) => bothSame(a.firstSound, a.postcode, b.firstSound, b.postcode),
      refine: (r) => r.lastSound ?? '-',
      partitionToken: byFirstSound,
    },
    {
      name: 'surname_sound_postcode',
      description: 'same surname sound and postcode',
      uses: ['surname', 'address'],
      keys: (r) => both(r.lastSound, r.postcode),
      sameKey: (a, b) => bothSame(a.lastSound, a.postcode, b.lastSound, b.postcode),
      refine: (r) => r.firstSound ?? '-',
      partitionToken: bySurnameSound,
    },
    {
      name: 'house_in_city',
      description: 'same house number, street and city (catches postcode typos)',
      uses: ['address', 'city'],
      keys: (r) =>
        r.houseNumber === null || r.street === null || r.city === null ? [] : [`${r.houseNumber}|${r.street}|${r.city}`],
      sameKey: (a, b) => a.city !== null && a.city === b.city && bothSame(a.houseNumber, a.street, b.houseNumber, b.street),
      refine: (r) => r.lastSound ?? '-',
      partitionToken: byHouse,
    },
    {
      name: 'same_house',
      description: 'same house number, street and postcode',
      uses: ['address'],
      keys: (r) =>
        r.houseNumber === null || r.street === null || r.postcode === null ? [] : [`${r.houseNumber}|${r.street}|${r.postcode}`],
      sameKey: (a, b) => a.postcode !== null && a.postcode === b.postcode && bothSame(a.houseNumber, a.street, b.houseNumber, b.street),
      refine: (r) => r.lastSound ?? '-',
      partitionToken: byHouse,
    },
  ];
}

/** Per record, per rule, the effective block keys after refining oversized blocks, sorted and unique. */
export type BlockKeys = (readonly string[])[];

/** A rule's keys for a record that has none under it: one shared, frozen list instead of an empty array each. */
export const NO_KEYS: readonly string[] = Object.freeze([]);

export interface BlockingOptions {
  /** Blocks larger than this are split with the rule's refine key. */
  maxBlockSize: number;
  /** Blocks still larger after refinement are compared only within a sliding window of this many records. */
  windowSize: number;
}

/**
 * A cap of 20 splits every block of a common name by its refine key long before it grows with the input: at 100k
 * records a cap of 400 left 1.45M candidate pairs, growing almost quadratically (5.98x for 2.5x the records), a cap
 * of 20 0.56M, growing 2.1x per doubling, with the same recall and slightly higher precision (docs/benchmarks.md).
 */
export const DEFAULT_BLOCKING_OPTIONS: BlockingOptions = { maxBlockSize: 20, windowSize: 60 };

export interface RuleStats {
  rule: string;
  description: string;
  pairs: number;
  blocks: number;
  largestBlock: number;
  /** Blocks over the size cap that were split by the refine key. */
  refinedBlocks: number;
  /** Blocks still over the cap after refinement, compared only within a sliding window. */
  windowedBlocks: number;
}

/** Each rule's raw keys for a record, sorted and unique. */
export function rawBlockKeys(record: MatchFeatures, rules: readonly BlockingRule[]): BlockKeys {
  return rules.map((rule) => ruleKeys(rule, record));
}

/** One rule's raw keys for a record, sorted and unique (no Set for the usual zero or one key). */
export function ruleKeys(rule: BlockingRule, record: MatchFeatures): readonly string[] {
  const keys = rule.keys(record);
  return keys.length < 2 ? keys : [...new Set(keys)].sort();
}

/** The partition-token tags of a rule list, in order of first use. */
const tokenTags = (rules: readonly BlockingRule[]): string[] => [
  ...new Set(rules.flatMap((rule) => (rule.partitionToken ? [rule.partitionToken.tag] : []))),
];

/**
 * Counts block sizes over a stream of records (ingest counts each source's, plan and route add them up; no stage holds
 * the records), so oversized blocks can be refined consistently in every partition. Beside the keys it counts the
 * partition tokens (keys per tag and token: a surname sound's keys under every rule tagged by it), so a token too
 * heavy for one partition can be split (see `tokenSize`).
 */
export class BlockSizeCounter {
  private readonly counts: KeyCounts;
  private readonly tokens: KeyCounts;
  /** Per rule, the index of its token's tag in `tags`, or -1. */
  private readonly tagOf: readonly number[];
  private readonly tags: readonly string[];

  /** `withMembers`: the key table also sums its records' hashes, so route can tell a block of two by its pair. */
  constructor(
    private readonly rules: readonly BlockingRule[],
    withMembers = false,
  ) {
    this.counts = new KeyCounts(
      rules.map((rule) => fnv1a(rule.name)),
      withMembers,
    );
    this.tags = tokenTags(rules);
    this.tagOf = rules.map((rule) => (rule.partitionToken ? this.tags.indexOf(rule.partitionToken.tag) : -1));
    this.tokens = new KeyCounts(this.tags.map((tag) => fnv1a(tag)));
  }

  /**
   * The counts as bytes (ingest writes one source's): the key table, then the token table (KeyCounts.toBytes).
   * `minSize` 2 leaves out the keys alone in their block (plan writes route's table so: route reads nothing else of
   * those keys than that they are not shared, which a key not in the table says too).
   */
  toBytes(minSize = 1): Uint8Array {
    const keys = this.counts.toBytes(minSize);
    const tokens = this.tokens.toBytes();
    const bytes = new Uint8Array(keys.length + tokens.length);
    bytes.set(keys);
    bytes.set(tokens, keys.length);
    return bytes;
  }

  /** Adds a source's counts, taken under `sourceRules`, matching the rules by name and the tokens by tag. */
  addCounts(bytes: Uint8Array, sourceRules: readonly BlockingRule[]): void {
    const position = new Map(this.rules.map((rule, r) => [rule.name, r]));
    const keysLength = KeyCounts.byteLength(bytes);
    this.counts.addBytes(bytes.subarray(0, keysLength), sourceRules.map((rule) => position.get(rule.name) ?? -1));
    this.tokens.addBytes(bytes.subarray(keysLength), tokenTags(sourceRules).map((tag) => this.tags.indexOf(tag)));
  }

  /** Counts a record's raw keys; `member` (its `memberHash`) is summed under each when the table has members. */
  add(raw: BlockKeys, member?: MemberHash): void {
    raw.forEach((keys, r) => {
      const token = this.rules[r].partitionToken;
      for (const key of keys) {
        this.counts.increment(r, key, key.length, member);
        if (token) this.tokens.increment(this.tagOf[r], key, tokenEnd(key, token.parts));
      }
    });
  }

  size(rule: number, key: string): number {
    return this.counts.get(rule, key);
  }

  /** The key's slot in the key table: its size and member sum read with one look-up (`sizeAt`, `membersAt`). */
  slotOf(rule: number, key: string): number {
    return this.counts.slotOf(rule, key);
  }

  sizeAt(slot: number): number {
    return this.counts.countAt(slot);
  }

  /** The sum of the member hashes of the key's records (KeyCounts.membersAt): for a block of two, its pair's name. */
  membersAt(slot: number): number {
    return this.counts.membersAt(slot);
  }

  /** Keys sharing the partition token that ends at `end` of this key of the rule (0 for a rule without one). */
  tokenSize(rule: number, key: string, end: number): number {
    const tag = this.tagOf[rule];
    return tag === -1 ? 0 : this.tokens.get(tag, key, end);
  }

  /**
   * The paired slots route fills: those of blocks of two or more, less the blocks at most the cap whose records are
   * exactly another's (the same size and member sum; route routes one of each such set). Needs the member sums. An
   * estimate for sizing the partitions: the sums are folded to fit a number beside the size, so two sets may rarely
   * be taken for one.
   */
  routedSlots(maxBlockSize: number): number {
    const sizeBits = Math.ceil(Math.log2(maxBlockSize + 1));
    const folded = 2 ** (53 - sizeBits);
    const sets = new Float64Array(this.counts.keys);
    let n = 0;
    let slots = 0;
    this.counts.forEach((_, size, slot) => {
      if (size < 2) return;
      slots += size;
      if (size <= maxBlockSize) sets[n++] = (this.counts.membersAt(slot) % folded) * 2 ** sizeBits + size;
    });
    // Sorted, each repeat of a set is a block route leaves out: its size is in the low bits.
    const sorted = sets.subarray(0, n).sort();
    for (let i = 1; i < sorted.length; i++) if (sorted[i] === sorted[i - 1]) slots -= sorted[i] % 2 ** sizeBits;
    return slots;
  }

  oversizedBlocks(maxBlockSize: number): number[] {
    const oversized = this.rules.map(() => 0);
    this.counts.forEach((rule, size) => {
      if (size > maxBlockSize) oversized[rule]++;
    });
    return oversized;
  }

  /** Partition tokens with more than `slots` keys, per tag. */
  heavyTokens(slots: number): Record<string, number> {
    const heavy: Record<string, number> = {};
    this.tokens.forEach((tag, size) => {
      if (size > slots) heavy[this.tags[tag]] = (heavy[this.tags[tag]] ?? 0) + 1;
    });
    return heavy;
  }
}

/** A key whose block is over the cap, split by the record's refine value for the rule. */
export const refinedKey = (key: string, refine: string): string => `${key}#${refine}`;

/**
 * Where the record's raw keys are in blocks over the cap, as flat [rule, key position, rule, key position, …]: the
 * form in which route tells each partition (from the run's counts) so compare can rebuild the effective keys from the
 * features without the counts.
 */
export function oversizedKeys(raw: BlockKeys, counter: BlockSizeCounter, options: BlockingOptions): number[] {
  const positions: number[] = [];
  raw.forEach((ruleKeys, r) => {
    for (let k = 0; k < ruleKeys.length; k++) if (counter.size(r, ruleKeys[k]) > options.maxBlockSize) positions.push(r, k);
  });
  return positions;
}

/** Whether a raw key position of a rule is among `oversized` (flat [rule, key position, …]). */
export function isOversized(oversized: readonly number[], rule: number, position: number): boolean {
  for (let o = 0; o < oversized.length; o += 2) if (oversized[o] === rule && oversized[o + 1] === position) return true;
  return false;
}

/**
 * One rule's effective keys: its raw keys, those at positions over the cap refined by the rule's refine value
 * (`refine()`), sorted and unique again when any was.
 */
export function refineRuleKeys(raw: readonly string[], rule: number, oversized: readonly number[], refine: () => string): readonly string[] {
  let refined: string[] | null = null;
  for (let k = 0; k < raw.length; k++) if (isOversized(oversized, rule, k)) (refined ??= raw.slice())[k] = refinedKey(raw[k], refine());
  return refined === null ? raw : [...new Set(refined)].sort();
}

/** The record's effective keys under every rule (`refineOf(rule)` is the rule's refine(record)). */
export function applyRefinements(raw: BlockKeys, oversized: readonly number[], refineOf: (rule: number) => string): BlockKeys {
  // Most records have no key over the cap, and raw keys are already sorted and unique: nothing to rebuild.
  if (oversized.length === 0) return raw;
  return raw.map((keys, r) => refineRuleKeys(keys, r, oversized, () => refineOf(r)));
}
