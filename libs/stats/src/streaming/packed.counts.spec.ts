import fc from 'fast-check';
import { packCounts, unpackCounts } from './packed.counts';

describe('packed bucket counts', () => {
  it('unpacks what it packed, with its sum, for any 32-bit counts and runs of empty buckets', () => {
    const count = fc.oneof(
      fc.constant(0),
      fc.integer({ min: 1, max: 200 }),
      fc.integer({ min: 0, max: 0xffffffff }),
    );
    fc.assert(
      fc.property(fc.array(count, { maxLength: 600 }), (counts) => {
        const { counts: back, total } = unpackCounts(packCounts(counts));
        expect([...back]).toEqual(counts);
        expect(total).toBe(counts.reduce((sum, c) => sum + c, 0));
      }),
    );
  });

  it('takes a byte for a count under 64 and for a run of up to 63 empty buckets', () => {
    const counts = [1, 63, 0, 0, 0, 5, ...new Array<number>(63).fill(0)];
    expect(Buffer.from(packCounts(counts), 'base64')).toEqual(Buffer.from([2, 126, 7, 10, 127]));
    expect(packCounts([])).toBe('');
    expect([...unpackCounts('').counts]).toEqual([]);
  });

  it('refuses text that ends inside a number', () => {
    expect(() => unpackCounts(Buffer.from([0x80]).toString('base64'))).toThrow(
      'packed bucket counts end inside a number',
    );
  });
});
