import { seededRandom, type SeededRandom } from '../random';

/**
 * A seeded reservoir sample (algorithm R): a uniform sample of at most `capacity` items from a stream of unknown
 * length, so u probabilities can be estimated from a bounded sample of a large input. While the stream is shorter
 * than the capacity the sample is the whole stream, in order.
 */
export class Reservoir<T> {
  readonly items: T[] = [];
  private seen = 0;
  private readonly random: SeededRandom;

  constructor(
    private readonly capacity: number,
    seed: number,
  ) {
    this.random = seededRandom(seed);
  }

  add(item: T): void {
    this.seen++;
    if (this.items.length < this.capacity) {
      this.items.push(item);
      return;
    }
    const slot = this.random.int(this.seen);
    if (slot < this.capacity) this.items[slot] = item;
  }
}
