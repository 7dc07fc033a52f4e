import { RowReservoir } from './row.reservoir';

function fill(cap: number, n: number, seed: number): number[] {
  const reservoir = new RowReservoir<number>(cap, seed);
  for (let i = 0; i < n; i++) reservoir.add(i);
  return reservoir.items;
}

describe('RowReservoir', () => {
  it('keeps every item up to the cap, in order', () => {
    expect(fill(5, 4, 1)).toEqual([0, 1, 2, 3]);
  });

  it('keeps cap distinct items of the stream, the same ones for the same seed', () => {
    const kept = fill(100, 10_000, 7);
    expect(kept).toHaveLength(100);
    expect(new Set(kept).size).toBe(100);
    expect(kept.every((i) => i >= 0 && i < 10_000)).toBe(true);
    expect(fill(100, 10_000, 7)).toEqual(kept);
    expect(fill(100, 10_000, 8)).not.toEqual(kept);
  });

  it('keeps each item with probability cap / n (algorithm R is uniform)', () => {
    const runs = 4000;
    const hits = new Array<number>(10).fill(0);
    for (let seed = 0; seed < runs; seed++) for (const i of fill(3, 10, seed)) hits[i]++;
    // binomial(4000, 0.3): sd 29, so 5 sd is 145 hits
    for (const h of hits) expect(Math.abs(h - 0.3 * runs)).toBeLessThan(145);
  });
});
