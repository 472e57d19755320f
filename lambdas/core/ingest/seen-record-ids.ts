import { textDigest } from '../matching/key-counts';
import { StringIndex } from '../string-index';

/**
 * The record ids an ingest job has taken, each with its line and a 53-bit digest of its raw row: enough to reject a
 * later row with the same id and to say whether it repeats the first row exactly. Each id numbered in a StringIndex
 * (a Map stops at 2^24 ids) and two typed-array slots, instead of an object and a digest string per row: a
 * million-row source kept three million objects alive for the collector to trace again at every old-generation
 * collection.
 *
 * Two different rows with the same digest (about 1 in 10^16 per pair) would be called an exact duplicate rather than
 * a conflicting one: the row is rejected either way.
 */
export class SeenRecordIds {
  private readonly order = new StringIndex();
  private lines = new Uint32Array(1024);
  private digests = new Float64Array(1024);

  /**
   * Takes the id of the row on `line` (its text `raw`) and returns undefined, or, when an earlier row took it, why
   * this row is rejected.
   */
  take(recordId: string, line: number, raw: string): string | undefined {
    const digest = textDigest(raw);
    const taken = this.order.size;
    const n = this.order.add(recordId);
    if (n < taken) {
      const first = this.lines[n];
      return this.digests[n] === digest ? `exact duplicate of line ${first}` : `duplicate record id (first seen on line ${first})`;
    }
    if (n === this.lines.length) this.grow();
    this.lines[n] = line;
    this.digests[n] = digest;
    return undefined;
  }

  get size(): number {
    return this.order.size;
  }

  private grow(): void {
    const lines = new Uint32Array(this.lines.length * 2);
    const digests = new Float64Array(this.digests.length * 2);
    lines.set(this.lines);
    digests.set(this.digests);
    this.lines = lines;
    this.digests = digests;
  }
}
