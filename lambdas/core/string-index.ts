import { textDigest } from './matching/key-counts';

/**
 * Strings numbered 0, 1, 2... in the order first added, looked up without a Map or a Set: V8 caps both at 2^24
 * entries (16,777,216; "Map maximum size exceeded"), fewer than the records of one run at 8.4 million per company,
 * and the cluster and report jobs index every record of a run. Open addressing (linear probing) over two typed
 * arrays, 8 bytes a slot: a 32-bit hash of the string, which also places it, and its number; the strings themselves
 * are in one array, compared only when the hashes agree. V8's arrays hold over 100 million elements.
 */
export class StringIndex {
  private capacity: number;
  private hashes: Uint32Array;
  /** Per slot, the string's number plus one (0: empty). */
  private numbers: Int32Array;
  private readonly strings: string[] = [];

  /** `expected`: how many strings will be added, to allocate once instead of growing (a hint, not a limit). */
  constructor(expected = 0) {
    this.capacity = capacityFor(expected);
    this.hashes = new Uint32Array(this.capacity);
    this.numbers = new Int32Array(this.capacity);
  }

  get size(): number {
    return this.strings.length;
  }

  /** The string's number: its existing one, or the next one when it is new. */
  add(text: string): number {
    const hash = hashOf(text);
    const slot = this.find(text, hash);
    const existing = this.numbers[slot];
    if (existing !== 0) return existing - 1;
    const number = this.strings.length;
    this.strings.push(text);
    this.hashes[slot] = hash;
    this.numbers[slot] = number + 1;
    if (this.strings.length * 4 > this.capacity * 3) this.grow();
    return number;
  }

  /** The string's number, or -1 when it was never added. */
  indexOf(text: string): number {
    return this.numbers[this.find(text, hashOf(text))] - 1;
  }

  has(text: string): boolean {
    return this.indexOf(text) !== -1;
  }

  /** The string numbered `number`. */
  at(number: number): string {
    const text = this.strings[number];
    if (text === undefined) throw new RangeError(`no string is numbered ${number} (${this.strings.length} are)`);
    return text;
  }

  /** The strings in the order of their numbers. */
  values(): readonly string[] {
    return this.strings;
  }

  /** The slot holding the string, or the empty slot where it would go. */
  private find(text: string, hash: number): number {
    const mask = this.capacity - 1;
    let slot = hash & mask;
    for (;;) {
      const number = this.numbers[slot];
      if (number === 0 || (this.hashes[slot] === hash && this.strings[number - 1] === text)) return slot;
      slot = (slot + 1) & mask;
    }
  }

  private grow(): void {
    const { hashes, numbers } = this;
    this.capacity *= 2;
    this.hashes = new Uint32Array(this.capacity);
    this.numbers = new Int32Array(this.capacity);
    const mask = this.capacity - 1;
    // A slot is placed by its stored hash, so growing re-reads no string.
    for (let old = 0; old < numbers.length; old++) {
      if (numbers[old] === 0) continue;
      let slot = hashes[old] & mask;
      while (this.numbers[slot] !== 0) slot = (slot + 1) & mask;
      this.hashes[slot] = hashes[old];
      this.numbers[slot] = numbers[old];
    }
  }
}

/** The smallest power of two that holds `expected` strings at most three quarters full (at least 1,024 slots). */
function capacityFor(expected: number): number {
  let capacity = 1024;
  while (expected * 4 > capacity * 3) capacity *= 2;
  return capacity;
}

/** The first 32-bit lane of the string's 53-bit digest (textDigest keeps it in the digest's high bits). */
const hashOf = (text: string): number => Math.floor(textDigest(text) / 2 ** 21);
