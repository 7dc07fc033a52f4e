import { decideFence } from './offset.fence';

const base = { fetchedOffset: '100', lastOffset: '149', seekAlreadyTried: false };

describe('decideFence', () => {
  it('processes everything for a partition with no stored offset', () => {
    expect(decideFence({ ...base, stored: null })).toEqual({ kind: 'process', from: 100n });
  });

  it('processes from the stored offset when the batch starts exactly there', () => {
    expect(decideFence({ ...base, stored: '100' })).toEqual({ kind: 'process', from: 100n });
  });

  it('drops the records already committed to Postgres', () => {
    expect(decideFence({ ...base, stored: '120' })).toEqual({ kind: 'process', from: 120n });
  });

  it('skips a batch that Postgres already holds entirely', () => {
    expect(decideFence({ ...base, stored: '150' })).toEqual({ kind: 'skip' });
    expect(decideFence({ ...base, stored: '149' })).toEqual({ kind: 'process', from: 149n });
  });

  it('seeks back when the broker position is ahead of Postgres', () => {
    expect(decideFence({ ...base, stored: '90' })).toEqual({ kind: 'seek', offset: '90' });
  });

  it('accepts the gap once a seek could not go back', () => {
    expect(decideFence({ ...base, stored: '90', seekAlreadyTried: true })).toEqual({
      kind: 'process',
      from: 100n,
    });
  });

  it('compares 64-bit offsets exactly', () => {
    const big = '9007199254740993';
    expect(
      decideFence({
        stored: big,
        fetchedOffset: '9007199254740992',
        lastOffset: big,
        seekAlreadyTried: false,
      }),
    ).toEqual({ kind: 'process', from: 9007199254740993n });
  });
});
