/**
 * Counts of (rule, key) pairs in typed arrays instead of a Map of strings: the plan job counts every block key of a
 * run (tens of millions at a million records per company), and as JavaScript strings in Maps those filled a
 * gigabyte of heap that the garbage collector traversed again and again while plan streamed the records, so plan's
 * cost per record grew with the input. Here a key is its 64-bit hash (two 32-bit lanes, cyrb53's mixing) and the
 * table lives outside the collected heap.
 *
 * Two different keys with the same 64-bit hash would share a count. Over 20 million keys the chance that any two do
 * is about 1 in 100,000; the outcome would be one block refined or routed as if it were a little larger.
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

  increment(rule: number, key: string): void {
    this.hash(rule, key);
    const slot = this.find(this.hash1, this.hash2);
    if (this.counts[slot] === 0) {
      this.lane1[slot] = this.hash1;
      this.lane2[slot] = this.hash2;
      this.rules[slot] = rule;
      this.used++;
    }
    this.counts[slot]++;
    if (this.used * 2 > this.capacity) this.grow();
  }

  get(rule: number, key: string): number {
    this.hash(rule, key);
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

  private hash(rule: number, key: string): void {
    // The rule is mixed into the high bits first: XOR-ing it into the seed, as cyrb53 does with its seed, lets the
    // first character cancel it ((7, "NNS|…") and (8, "ANS|…") hashed alike).
    let h1 = Math.imul(0xdeadbeef ^ rule, 2654435761);
    let h2 = Math.imul(0x41c6ce57 ^ rule, 1597334677);
    h1 ^= h1 >>> 15;
    h2 ^= h2 >>> 15;
    for (let i = 0; i < key.length; i++) {
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
