import { Random } from '@driftline/stats';

/**
 * A uniform sample of at most `cap` items of a stream (Vitter's algorithm R), seeded so that the
 * same upload keeps the same rows. Whole rows are kept, so columns stay aligned row by row.
 */
export class RowReservoir<T> {
  private readonly rng: Random;
  private seen = 0;
  readonly items: T[] = [];

  constructor(
    readonly cap: number,
    seed: number,
  ) {
    this.rng = new Random(seed);
  }

  add(item: T): void {
    this.seen++;
    if (this.items.length < this.cap) {
      this.items.push(item);
      return;
    }
    const j = this.rng.int(this.seen);
    if (j < this.cap) this.items[j] = item;
  }
}
