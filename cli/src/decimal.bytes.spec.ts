import fc from 'fast-check';
import { parseDecimalBytes } from './decimal.bytes';

const parsed = (text: string) => {
  const bytes = Buffer.from(`,${text},`);
  return parseDecimalBytes(bytes, 1, bytes.length - 1);
};

/** Object.is, so that -0 and 0 differ. */
const expectSameNumber = (text: string) => expect(Object.is(parsed(text), Number(text))).toBe(true);

describe('parseDecimalBytes', () => {
  it('gives Number(text), bit for bit, for plain decimals of up to 15 digits within 10^±22', () => {
    const digits = (min: number, max: number) =>
      fc.array(fc.constantFrom(...'0123456789'), { minLength: min, maxLength: max }).map((d) => d.join(''));
    const decimal = fc
      .tuple(
        fc.constantFrom('', '-', '+'),
        digits(0, 8),
        fc.option(digits(0, 8), { nil: undefined }),
        fc.option(fc.tuple(fc.constantFrom('e', 'E'), fc.constantFrom('', '-', '+'), digits(1, 2)), {
          nil: undefined,
        }),
      )
      .map(
        ([sign, int, frac, exp]) =>
          `${sign}${int}${frac === undefined ? '' : `.${frac}`}${exp ? exp.join('') : ''}`,
      )
      .filter((text) => /\d/.test(text.split(/[eE]/)[0]));
    fc.assert(
      fc.property(decimal, (text) => {
        const x = parsed(text);
        if (x !== undefined) expect(Object.is(x, Number(text))).toBe(true);
      }),
      { numRuns: 20_000 },
    );
    fc.assert(
      fc.property(fc.double({ noNaN: true, noDefaultInfinity: true }), (x) => {
        for (const text of [String(x), x.toFixed(4), x.toExponential(6), x.toPrecision(15)]) {
          const y = parsed(text);
          if (y !== undefined) expect(Object.is(y, Number(text))).toBe(true);
        }
      }),
      { numRuns: 5000 },
    );
  });

  it('parses the usual cells, -0, exponents and leading zeros', () => {
    for (const text of [
      '0',
      '-0',
      '+0',
      '-0.0',
      '1e-5',
      '1E5',
      '-2.5e+3',
      '.5',
      '5.',
      '007.250',
      '0.1',
      '123456789012345',
    ])
      expectSameNumber(text);
    expect(parsed('0.30000000000000004')).toBeUndefined();
  });

  it('leaves to the text parser what is not a plain decimal or is out of its exact range', () => {
    for (const text of [
      '',
      '-',
      '.',
      'e5',
      '1e',
      '1e+',
      '1.2.3',
      ' 1',
      '1 ',
      'NaN',
      'Infinity',
      '0x10',
      '1_000',
      '1,5',
    ])
      expect(parsed(text)).toBeUndefined();
    expect(parsed('1234567890123456')).toBeUndefined();
    expect(parsed('1e23')).toBeUndefined();
    expect(parsed('1e-23')).toBeUndefined();
  });
});
