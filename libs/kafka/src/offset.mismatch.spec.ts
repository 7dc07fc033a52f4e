import {
  findMismatch,
  recordFingerprint,
  verifyingOffset,
  type FingerprintedRecord,
} from './offset.mismatch';

const record = (offset: string, value: string, key: string | null = 'm1'): FingerprintedRecord => ({
  offset,
  timestamp: '1700000000000',
  key: key === null ? null : Buffer.from(key),
  value: Buffer.from(value),
});
const at =
  (...records: FingerprintedRecord[]) =>
  (offset: string) =>
    records.find((r) => r.offset === offset);

describe('recordFingerprint', () => {
  it('tells records apart by timestamp, key and value, and a null key from an empty one', () => {
    const base = recordFingerprint(record('0', 'v'));
    expect(recordFingerprint(record('7', 'v'))).toBe(base); // the offset is not part of it
    expect(recordFingerprint({ ...record('0', 'v'), timestamp: '1700000000001' })).not.toBe(base);
    expect(recordFingerprint(record('0', 'w'))).not.toBe(base);
    expect(recordFingerprint(record('0', 'v', null))).not.toBe(recordFingerprint(record('0', 'v', '')));
    // the boundary between key and value counts
    expect(recordFingerprint(record('0', 'bc', 'a'))).not.toBe(recordFingerprint(record('0', 'c', 'ab')));
  });
});

describe('findMismatch', () => {
  const consumed = record('9', 'ten');
  const stored = { nextOffset: '10', lastRecord: recordFingerprint(consumed) };

  it.each([
    ['the offset is past the end', stored, '4', at(), 'beyond_end'],
    ['the record before the offset is another one', stored, '30', at(record('9', 'other')), 'topic_changed'],
    ['the same record is there', stored, '30', at(consumed), null],
    ['the offset is the end', stored, '10', at(), null],
    ['the batch does not show the record', stored, '30', at(), null],
    ['nothing was fingerprinted', { nextOffset: '10', lastRecord: null }, '30', at(record('9', 'x')), null],
    ['the offset is 0', { nextOffset: '0', lastRecord: 'x' }, '0', at(), null],
  ])('%s', (_, position, highWatermark, recordAt, reason) => {
    expect(findMismatch(position, highWatermark, recordAt)?.reason ?? null).toBe(reason);
  });

  it('compares 64-bit offsets exactly', () => {
    const big = { nextOffset: '9007199254740993', lastRecord: null };
    expect(findMismatch(big, '9007199254740992', at())?.reason).toBe('beyond_end');
    expect(findMismatch(big, '9007199254740993', at())).toBeNull();
  });
});

describe('verifyingOffset', () => {
  it('seeks one record early only when there is a stored record to compare', () => {
    expect(verifyingOffset({ nextOffset: '10', lastRecord: 'fp' })).toBe('9');
    expect(verifyingOffset({ nextOffset: '10', lastRecord: null })).toBe('10');
    expect(verifyingOffset({ nextOffset: '0', lastRecord: 'fp' })).toBe('0');
  });
});
