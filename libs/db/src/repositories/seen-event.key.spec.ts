import { writeMurmur128 } from './seen-event.key';

const hex = (s: string) => {
  const buf = Buffer.alloc(16);
  writeMurmur128(s, buf, 0);
  return buf.toString('hex');
};

describe('writeMurmur128', () => {
  // from the Python mmh3 package: mmh3.hash_bytes(s.encode('utf-16-le'), 0, False).hex()
  it.each([
    ['', '00000000000000000000000000000000'],
    ['a', '96b13b03e14fefcce14fefcce14fefcc'],
    ['p\u0000m', 'ab69a42b6f1246201ca016811ca01681'],
    ['pbench-m042\u0000e1-12345', '9b03ef924f2b16f4acf41a6479fab04e'],
    ['gmodel-é€🙂\u0000say "hi"', '4e86846be13f8b19c2593a2dfe509886'],
    ['x'.repeat(8), 'ec1dcf2b361e5d5e1c266ba1f62e1d3e'],
    ['y'.repeat(17), '2a101cfb178ffc045af653a477d128e5'],
  ])('hashes %j as MurmurHash3_x86_128 of its UTF-16LE bytes', (s, expected) => {
    expect(hex(s)).toBe(expected);
  });
});
