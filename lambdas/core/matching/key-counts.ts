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
 */
export class KeyCounts {
  private capacity = 1 << 16;
  private used = 0;
  private lane1 = new Uint32Array(this.capacity);
  private lane2 = new Uint32Array(this.capacity);
  private counts = new Uint32Array(this.capacity);
  private rules = new Uint8Array(this.capacity);
  private hash1 = 0;
  private hash2 = 0;

  constructor(private readonly seeds: readonly number[]) {}

  /** Counts the key, or its first `end` characters (a partition token) without slicing it out. */
  increment(rule: number, key: string, end = key.length): void {
    this.hash(rule, key, end);
    this.addAt(this.hash1, this.hash2, rule, 1);
  }

  /**
   * The used slots as bytes: their count, then the first lanes, second lanes and counts (32-bit each, in this
   * machine's byte order, little-endian on every Lambda architecture) and the rule numbers (one byte each).
   */
  toBytes(): Uint8Array {
    const bytes = new Uint8Array(4 + this.used * 13);
    const view = new DataView(bytes.buffer);
    view.setUint32(0, this.used, true);
    const lane1 = new Uint32Array(bytes.buffer, 4, this.used);
    const lane2 = new Uint32Array(bytes.buffer, 4 + this.used * 4, this.used);
    const counts = new Uint32Array(bytes.buffer, 4 + this.used * 8, this.used);
    const rules = bytes.subarray(4 + this.used * 12);
    let n = 0;
    for (let slot = 0; slot < this.capacity; slot++) {
      if (this.counts[slot] === 0) continue;
      lane1[n] = this.lane1[slot];
      lane2[n] = this.lane2[slot];
      counts[n] = this.counts[slot];
      rules[n++] = this.rules[slot];
    }
    return bytes;
  }

  /** The length of the table `toBytes` wrote at the start of `bytes` (so tables can be written one after another). */
  static byteLength(bytes: Uint8Array): number {
    if (bytes.length < 4) throw new RangeError(`key counts of ${bytes.length} bytes have no header`);
    return 4 + new DataView(bytes.buffer, bytes.byteOffset, 4).getUint32(0, true) * 13;
  }

  /** Adds the counts of another table (`toBytes`), its rule numbers mapped to this table's (`ruleOf`). */
  addBytes(bytes: Uint8Array, ruleOf: readonly number[]): void {
    const aligned = bytes.byteOffset % 4 === 0 ? bytes : bytes.slice();
    if (aligned.length < 4) throw new RangeError(`key counts of ${aligned.length} bytes have no header`);
    const used = new DataView(aligned.buffer, aligned.byteOffset).getUint32(0, true);
    if (aligned.length !== 4 + used * 13) throw new RangeError(`key counts of ${aligned.length} bytes do not hold ${used} keys`);
    const lane1 = new Uint32Array(aligned.buffer, aligned.byteOffset + 4, used);
    const lane2 = new Uint32Array(aligned.buffer, aligned.byteOffset + 4 + used * 4, used);
    const counts = new Uint32Array(aligned.buffer, aligned.byteOffset + 4 + used * 8, used);
    const rules = aligned.subarray(4 + used * 12);
    for (let n = 0; n < used; n++) {
      const rule = ruleOf[rules[n]];
      if (rule === undefined || rule < 0) throw new RangeError(`key counts name rule ${rules[n]}, which this run does not have`);
      this.addAt(lane1[n], lane2[n], rule, counts[n]);
    }
  }

  private addAt(hash1: number, hash2: number, rule: number, count: number): void {
    const slot = this.find(hash1, hash2);
    if (this.counts[slot] === 0) {
      this.lane1[slot] = hash1;
      this.lane2[slot] = hash2;
      this.rules[slot] = rule;
      this.used++;
    }
    this.counts[slot] += count;
    if (this.used * 2 > this.capacity) this.grow();
  }

  get(rule: number, key: string, end = key.length): number {
    this.hash(rule, key, end);
    return this.counts[this.find(this.hash1, this.hash2)];
  }

  /** Calls `visit` with the rule and count of every key counted. */
  forEach(visit: (rule: number, count: number) => void): void {
    for (let slot = 0; slot < this.capacity; slot++) if (this.counts[slot] > 0) visit(this.rules[slot], this.counts[slot]);
  }

  /** The slot holding this hash, or the empty slot where it would go (linear probing). */
  private find(hash1: number, hash2: number): number {
    const mask = this.capacity - 1;
    let slot = hash1 & mask;
    while (this.counts[slot] !== 0 && (this.lane1[slot] !== hash1 || this.lane2[slot] !== hash2)) slot = (slot + 1) & mask;
    return slot;
  }

  private hash(rule: number, key: string, end: number): void {
    // The rule's seed is mixed into the high bits first: XOR-ed in as cyrb53 does with its seed, a small rule number
    // would let the first character cancel it ((7, "NNS|…") and (8, "ANS|…") hashed alike).
    const seed = this.seeds[rule];
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
    this.hash1 = h1 >>> 0;
    this.hash2 = h2 >>> 0;
  }

  private grow(): void {
    const { lane1, lane2, counts, rules, capacity } = this;
    this.capacity = capacity * 2;
    this.lane1 = new Uint32Array(this.capacity);
    this.lane2 = new Uint32Array(this.capacity);
    this.counts = new Uint32Array(this.capacity);
    this.rules = new Uint8Array(this.capacity);
    for (let slot = 0; slot < capacity; slot++) {
      if (counts[slot] === 0) continue;
      const target = this.find(lane1[slot], lane2[slot]);
      this.lane1[target] = lane1[slot];
      this.lane2[target] = lane2[slot];
      this.counts[target] = counts[slot];
      this.rules[target] = rules[slot];
    }
  }
}
