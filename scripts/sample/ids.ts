/**
 * Record ids. CRMs hand out ids that do not reveal row order in an export, and the ground truth must not be
 * recoverable from them (consecutive rows of one person must not get neighbouring ids). A keyed Feistel
 * permutation maps row numbers 0..n-1 to distinct ids in [0, 10^digits) that look unrelated to each other.
 */
import { hashString } from './random';

export class IdPermutation {
  private readonly halfBits: number;
  private readonly mask: number;
  private readonly limit: number;
  private readonly keys: number[];

  /** @param digits id width in decimal digits (at most 9, so every value fits 32-bit integer arithmetic). */
  constructor(
    readonly digits: number,
    key: number,
    label: string,
  ) {
    if (!Number.isInteger(digits) || digits < 2 || digits > 9) throw new RangeError('digits must be 2..9');
    this.limit = 10 ** digits;
    this.halfBits = Math.ceil(Math.ceil(Math.log2(this.limit)) / 2);
    this.mask = (1 << this.halfBits) - 1;
    this.keys = [0, 1, 2, 3].map((round) => hashString(`${label}:${key}:${round}`));
  }

  /** Largest number of rows this permutation can number. */
  get capacity(): number {
    return this.limit;
  }

  private round(value: number, key: number): number {
    let h = Math.imul(value ^ key, 0x9e3779b1);
    h ^= h >>> 15;
    h = Math.imul(h, 0x85ebca77);
    return (h ^ (h >>> 13)) & this.mask;
  }

  private encrypt(value: number): number {
    let left = value >>> this.halfBits;
    let right = value & this.mask;
    for (const key of this.keys) [left, right] = [right, left ^ this.round(right, key)];
    return left * (this.mask + 1) + right;
  }

  /** The id of row `row` (0-based), zero-padded to `digits`. Cycle-walking keeps the result inside 10^digits. */
  id(row: number): string {
    if (!(row >= 0 && row < this.limit)) throw new RangeError(`row ${row} outside 0..${this.limit - 1}`);
    let value = this.encrypt(row);
    while (value >= this.limit) value = this.encrypt(value);
    return String(value).padStart(this.digits, '0');
  }
}
