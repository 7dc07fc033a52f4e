import fc from 'fast-check';
import { BucketStore } from './bucket.store';
import { packCounts } from './packed.counts';

function storeOf(keys: readonly number[], binLimit = 64): BucketStore {
  const store = new BucketStore(binLimit);
  for (const key of keys) store.add(key);
  return store;
}

function buckets(store: BucketStore): [number, number][] {
  const out: [number, number][] = [];
  store.forEach((key, count) => out.push([key, count]));
  return out;
}

describe('BucketStore JSON', () => {
  it('packs 32-bit counts, a run of empty buckets as one entry', () => {
    const sparse = storeOf([-300, -300, -299, 200], 2048).toJSON();
    expect(sparse).toEqual({ key: -300, packed: packCounts([2, 1, ...new Array<number>(498).fill(0), 1]) });
    // 2, 1, a run of 498 (2 x 498 + 1 = 997: two bytes), 1
    expect(Buffer.from(sparse.packed ?? '', 'base64')).toEqual(Buffer.from([4, 2, 0xe5, 0x07, 2]));
    // collapsed at 64 buckets: everything below 200 - 63 folds into key 137
    expect(storeOf([-300, -300, -299, 200]).toJSON()).toEqual({
      key: 137,
      packed: packCounts([3, ...new Array<number>(62).fill(0), 1]),
      collapsed: true,
    });
  });

  it('round-trips every store, and reads the counts form every store was written in before', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: -500, max: 500 }), { maxLength: 50 }), (keys) => {
        const store = storeOf(keys);
        const restored = BucketStore.fromJSON(JSON.parse(JSON.stringify(store.toJSON())), 64);
        expect(buckets(restored)).toEqual(buckets(store));
        expect(restored.count).toBe(keys.length);
        expect(restored.collapsed).toBe(store.collapsed);
      }),
    );
    // zero runs as negative entries, and dense counts from before those
    const runs = BucketStore.fromJSON({ key: 137, counts: [3, -62, 1], collapsed: true }, 64);
    expect(runs.toJSON()).toEqual(storeOf([-300, -300, -299, 200]).toJSON());
    const dense = BucketStore.fromJSON({ key: 5, counts: [1, 0, 0, 2] }, 64);
    expect(buckets(dense)).toEqual([
      [5, 1],
      [8, 2],
    ]);
    expect(dense.toJSON()).toEqual({ key: 5, packed: packCounts([1, 0, 0, 2]) });
  });

  it('writes counts past 32 bits as dense numbers', () => {
    const store = new BucketStore(16);
    store.add(3, 2 ** 33);
    store.add(6, 2);
    expect(store.toJSON()).toEqual({ key: 3, counts: [2 ** 33, 0, 0, 2] });
  });
});

describe('BucketStore counts', () => {
  it('keeps counts past 2^32 - 1 and fractional weights exact', () => {
    const store = new BucketStore(16);
    store.add(3, 0xffffffff);
    store.add(3, 2);
    store.add(5, 0.5);
    expect(buckets(store)).toEqual([
      [3, 0xffffffff + 2],
      [5, 0.5],
    ]);
    const restored = BucketStore.fromJSON(JSON.parse(JSON.stringify(store.toJSON())), 16);
    expect(buckets(restored)).toEqual(buckets(store));
    expect(restored.count).toBe(0xffffffff + 2.5);
  });

  it('folds a count that overflows 32 bits into the collapsed bucket exactly', () => {
    const store = new BucketStore(2);
    store.add(1, 0xfffffff0);
    store.add(2, 0x20);
    store.add(3, 1);
    expect(buckets(store)).toEqual([
      [2, 0xfffffff0 + 0x20],
      [3, 1],
    ]);
    expect(store.collapsed).toBe(true);
  });
});

describe('BucketStore growth', () => {
  it('holds the same counts and JSON as a plain count per key, whatever order the keys come in', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: -400, max: 400 }), { minLength: 1, maxLength: 300 }),
        fc.array(fc.integer({ min: -400, max: 400 }), { maxLength: 100 }),
        (keys, more) => {
          const store = storeOf(keys, 4096);
          store.merge(storeOf(more, 4096));
          const all = [...keys, ...more];
          const counts = new Map<number, number>();
          for (const key of all) counts.set(key, (counts.get(key) ?? 0) + 1);
          expect(buckets(store)).toEqual([...counts].sort(([a], [b]) => a - b));
          const low = Math.min(...all);
          const dense = Array.from(
            { length: Math.max(...all) - low + 1 },
            (_, i) => counts.get(low + i) ?? 0,
          );
          expect(store.toJSON()).toEqual(BucketStore.fromJSON({ key: low, counts: dense }, 4096).toJSON());
        },
      ),
    );
  });
});
