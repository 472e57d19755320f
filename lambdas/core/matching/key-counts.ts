/**
 * Counts of (rule, key) pairs in typed arrays instead of a Map of strings: the plan job counts every block key of a
 * run (tens of millions at a million records per company), and as JavaScript strings in Maps those filled a
 * gigabyte of heap that the garbage collector traversed again and again while plan streamed the records, so plan's
 * cost per record grew with the input. Here a key is its 64-bit hash (two 32-bit lanes, cyrb53's mixing) and the
 * table lives outside the collected heap.
 *
 * Two different keys with the same 64-bit hash would share a count. Over 20 million keys the chance that any two do
 * is about 1 in 100,000; the outcome would be one block refined or routed as if it were a little larger.
 *
 * Each rule hashes from its own seed (`seeds[rule]`, derived from the rule's name), so the tables of two sources
 * whose rule lists differ (each knows only its own identifiers) can be added up under the run's rule numbers.
 *
 * A table made `withMembers` also sums, per key, the 64-bit hashes of the records counted under it (`memberHash`,
 * each lane modulo 2^32): for a block of two that sum names the pair, so two blocks of two with the same sum hold
 * the same two records (see `membersAt`).
 */
export class KeyCounts {
  private capacity = 1 << 16;
  private used = 0;
  private lane1 = new Uint32Array(this.capacity);
  private lane2 = new Uint32Array(this.capacity);
  private counts = new Uint32Array(this.capacity);
  private rules = new Uint8Array(this.capacity);
  private members1: Uint32Array;
  private members2: Uint32Array;
  private hash1 = 0;
  private hash2 = 0;

  constructor(
    private readonly seeds: readonly number[],
    readonly withMembers = false,
  ) {
    this.members1 = new Uint32Array(withMembers ? this.capacity : 0);
    this.members2 = new Uint32Array(withMembers ? this.capacity : 0);
  }

  /**
   * Counts the key, or its first `end` characters (a partition token) without slicing it out; a table `withMembers`
   * adds `member` (the record's `memberHash`) to the key's sum.
   */
  increment(rule: number, key: string, end = key.length, member: MemberHash = NO_MEMBER): void {
    this.hash(rule, key, end);
    this.addAt(this.hash1, this.hash2, rule, 1, member[0], member[1]);
  }

  /**
   * The used slots (those counted at least `minCount` times) as bytes: their number and whether members are summed
   * (32-bit each), then the first lanes, second lanes and counts (32-bit each, in this machine's byte order,
   * little-endian on every Lambda architecture), the two member lanes when summed, and the rule numbers (one byte
   * each).
   */
  toBytes(minCount = 1): Uint8Array {
    const least = Math.max(minCount, 1);
    let written = 0;
    for (let slot = 0; slot < this.capacity; slot++) if (this.counts[slot] >= least) written++;
    const bytes = new Uint8Array(HEADER + written * slotBytes(this.withMembers));
    const view = new DataView(bytes.buffer);
    view.setUint32(0, written, true);
    view.setUint32(4, this.withMembers ? 1 : 0, true);
    const { lane1, lane2, counts, members1, members2, rules } = tableViews(bytes, written, this.withMembers);
    let n = 0;
    for (let slot = 0; slot < this.capacity; slot++) {
      if (this.counts[slot] < least) continue;
      lane1[n] = this.lane1[slot];
      lane2[n] = this.lane2[slot];
      counts[n] = this.counts[slot];
      if (this.withMembers) {
        members1[n] = this.members1[slot];
        members2[n] = this.members2[slot];
      }
      rules[n++] = this.rules[slot];
    }
    return bytes;
  }

  /** The length of the table `toBytes` wrote at the start of `bytes` (so tables can be written one after another). */
  static byteLength(bytes: Uint8Array): number {
    const { used, withMembers } = readHeader(bytes);
    return HEADER + used * slotBytes(withMembers);
  }

  /**
   * Adds the counts of another table (`toBytes`), its rule numbers mapped to this table's (`ruleOf`); a table
   * `withMembers` needs the other's member sums.
   */
  addBytes(bytes: Uint8Array, ruleOf: readonly number[]): void {
    const aligned = bytes.byteOffset % 4 === 0 ? bytes : bytes.slice();
    const { used, withMembers } = readHeader(aligned);
    if (aligned.length !== KeyCounts.byteLength(aligned)) throw new RangeError(`key counts of ${aligned.length} bytes do not hold ${used} keys`);
    if (this.withMembers && !withMembers) throw new RangeError('key counts without member sums cannot be added to a table with them');
    const { lane1, lane2, counts, members1, members2, rules } = tableViews(aligned, used, withMembers);
    for (let n = 0; n < used; n++) {
      const rule = ruleOf[rules[n]];
      if (rule === undefined || rule < 0) throw new RangeError(`key counts name rule ${rules[n]}, which this run does not have`);
      this.addAt(lane1[n], lane2[n], rule, counts[n], members1[n], members2[n]);
    }
  }

  private addAt(hash1: number, hash2: number, rule: number, count: number, member1: number, member2: number): void {
    const slot = this.find(hash1, hash2);
    if (this.counts[slot] === 0) {
      this.lane1[slot] = hash1;
      this.lane2[slot] = hash2;
      this.rules[slot] = rule;
      this.used++;
    }
    this.counts[slot] += count;
    if (this.withMembers) {
      this.members1[slot] = (this.members1[slot] + member1) >>> 0;
      this.members2[slot] = (this.members2[slot] + member2) >>> 0;
    }
    if (this.used * 2 > this.capacity) this.grow();
  }

  get(rule: number, key: string, end = key.length): number {
    return this.countAt(this.slotOf(rule, key, end));
  }

  /**
   * The slot of the key (or of its first `end` characters), to read its count and member sum with one look-up
   * (`countAt`, `membersAt`); valid until the table next grows, that is, while nothing is added.
   */
  slotOf(rule: number, key: string, end = key.length): number {
    this.hash(rule, key, end);
    return this.find(this.hash1, this.hash2);
  }

  /** The count at a slot (`slotOf`): 0 for a key not counted. */
  countAt(slot: number): number {
    return this.counts[slot];
  }

  /**
   * The sum of the member hashes counted under the key at a slot (`slotOf`), folded to 53 bits (a number compared
   * with ===), or -1 for a key not counted. Only a table `withMembers` has them.
   */
  membersAt(slot: number): number {
    if (!this.withMembers) throw new RangeError('this key counts table does not sum member hashes');
    return this.counts[slot] === 0 ? -1 : this.members1[slot] * 2 ** 21 + (this.members2[slot] >>> 11);
  }

  /** How many keys are counted. */
  get keys(): number {
    return this.used;
  }

  /** Calls `visit` with the rule, count and slot of every key counted (the slot for `membersAt`). */
  forEach(visit: (rule: number, count: number, slot: number) => void): void {
    for (let slot = 0; slot < this.capacity; slot++) if (this.counts[slot] > 0) visit(this.rules[slot], this.counts[slot], slot);
  }

  /** The slot holding this hash, or the empty slot where it would go (linear probing). */
  private find(hash1: number, hash2: number): number {
    const mask = this.capacity - 1;
    let slot = hash1 & mask;
    while (this.counts[slot] !== 0 && (this.lane1[slot] !== hash1 || this.lane2[slot] !== hash2)) slot = (slot + 1) & mask;
    return slot;
  }

  private hash(rule: number, key: string, end: number): void {
    hashLanes(this.seeds[rule], key, end);
    this.hash1 = hashed1;
    this.hash2 = hashed2;
  }

  private grow(): void {
    const { lane1, lane2, counts, rules, members1, members2, capacity } = this;
    this.capacity = capacity * 2;
    this.lane1 = new Uint32Array(this.capacity);
    this.lane2 = new Uint32Array(this.capacity);
    this.counts = new Uint32Array(this.capacity);
    this.rules = new Uint8Array(this.capacity);
    this.members1 = new Uint32Array(this.withMembers ? this.capacity : 0);
    this.members2 = new Uint32Array(this.withMembers ? this.capacity : 0);
    for (let slot = 0; slot < capacity; slot++) {
      if (counts[slot] === 0) continue;
      const target = this.find(lane1[slot], lane2[slot]);
      this.lane1[target] = lane1[slot];
      this.lane2[target] = lane2[slot];
      this.counts[target] = counts[slot];
      this.rules[target] = rules[slot];
      if (this.withMembers) {
        this.members1[target] = members1[slot];
        this.members2[target] = members2[slot];
      }
    }
  }
}

/** A record's 64-bit hash as two 32-bit lanes, summed under each of its keys by a table `withMembers`. */
export type MemberHash = readonly [number, number];

const NO_MEMBER: MemberHash = [0, 0];

/** Header: the number of keys, and 1 when the member sums follow the counts. */
const HEADER = 8;

/** Bytes per key: two hash lanes and a count (and two member lanes) of 32 bits, and the rule's number. */
const slotBytes = (withMembers: boolean): number => (withMembers ? 21 : 13);

function readHeader(bytes: Uint8Array): { used: number; withMembers: boolean } {
  if (bytes.length < HEADER) throw new RangeError(`key counts of ${bytes.length} bytes have no header`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, HEADER);
  return { used: view.getUint32(0, true), withMembers: view.getUint32(4, true) === 1 };
}

/**
 * Views over a table's bytes (4-byte aligned) in `toBytes`' layout. Without member sums the member views alias the
 * hash lanes (never read as members): numbers, not undefined, reach addAt.
 */
function tableViews(bytes: Uint8Array, used: number, withMembers: boolean) {
  const lane = (n: number): Uint32Array => new Uint32Array(bytes.buffer, bytes.byteOffset + HEADER + used * 4 * n, used);
  const start = HEADER + used * (slotBytes(withMembers) - 1);
  return {
    lane1: lane(0),
    lane2: lane(1),
    counts: lane(2),
    members1: lane(withMembers ? 3 : 0),
    members2: lane(withMembers ? 4 : 1),
    rules: bytes.subarray(start, start + used),
  };
}

/** The record's hash (of its key, "source:id"), for the member sums. */
export function memberHash(recordKey: string): MemberHash {
  hashLanes(MEMBER_SEED, recordKey, recordKey.length);
  return [hashed1, hashed2];
}

/** A 53-bit digest of a text (cyrb53's mixing, both lanes folded to a number compared with ===). */
export function textDigest(text: string): number {
  hashLanes(DIGEST_SEED, text, text.length);
  return hashed1 * 2 ** 21 + (hashed2 >>> 11);
}

const DIGEST_SEED = 0x64696773;

/** Any seed other than the rules' (theirs come from their names): the member hashes are not keys' hashes. */
const MEMBER_SEED = 0x6d656d62;

// hashLanes' result: two module-level lanes rather than an array per key hashed (millions per job).
let hashed1 = 0;
let hashed2 = 0;

/** cyrb53's mixing over the first `end` characters of `key`, kept as two 32-bit lanes (`hashed1`, `hashed2`). */
function hashLanes(seed: number, key: string, end: number): void {
  // The seed is mixed into the high bits first: XOR-ed in as cyrb53 does with its seed, a small rule number would
  // let the first character cancel it ((7, "NNS|…") and (8, "ANS|…") hashed alike).
  let h1 = Math.imul(0xdeadbeef ^ seed, 2654435761);
  let h2 = Math.imul(0x41c6ce57 ^ seed, 1597334677);
  h1 ^= h1 >>> 15;
  h2 ^= h2 >>> 15;
  for (let i = 0; i < end; i++) {
    const ch = key.charCodeAt(i);
    h1 = Math.imul(h1 ^ ch, 2654435761);
    h2 = Math.imul(h2 ^ ch, 1597334677);
  }
  h1 = Math.imul(h1 ^ (h1 >>> 16), 2246822507);
  h1 ^= Math.imul(h2 ^ (h2 >>> 13), 3266489909);
  h2 = Math.imul(h2 ^ (h2 >>> 16), 2246822507);
  h2 ^= Math.imul(h1 ^ (h1 >>> 13), 3266489909);
  hashed1 = h1 >>> 0;
  hashed2 = h2 >>> 0;
}

