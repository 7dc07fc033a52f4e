/** Exact powers of ten: every 10^k with k <= 22 is a double, so one multiply or divide rounds once. */
const POW10 = [
  1, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19,
  1e20, 1e21, 1e22,
];
const MAX_DIGITS = 15;
const MAX_EXPONENT = 22;
const PLUS = 43;
const MINUS = 45;
const DOT = 46;
const ZERO = 48;
const NINE = 57;
const LOWER_E = 101;
const UPPER_E = 69;

/**
 * The number written in bytes [start, end) when it is a plain decimal (`[+-]d[.d][e[+-]d]`, at least
 * one mantissa digit) of at most 15 significant digits whose scale stays within 10^±22; otherwise
 * undefined, for the caller to parse the text. Within those bounds the mantissa and the power of
 * ten are exact doubles and one IEEE division or product rounds once (Clinger 1990, the fast path
 * of every correct strtod), so the result is bit-identical to `Number(text)`, -0 included.
 */
export function parseDecimalBytes(bytes: Uint8Array, start: number, end: number): number | undefined {
  let p = start;
  let c = p < end ? bytes[p] : 0;
  const negative = c === MINUS;
  if (negative || c === PLUS) c = ++p < end ? bytes[p] : 0;
  let mantissa = 0;
  let digits = 0;
  let scale = 0;
  let sawDigit = false;
  while (c >= ZERO && c <= NINE) {
    sawDigit = true;
    if (mantissa !== 0 || c !== ZERO) {
      if (++digits > MAX_DIGITS) return undefined;
      mantissa = mantissa * 10 + (c - ZERO);
    }
    c = ++p < end ? bytes[p] : 0;
  }
  if (c === DOT) {
    c = ++p < end ? bytes[p] : 0;
    while (c >= ZERO && c <= NINE) {
      sawDigit = true;
      if (mantissa !== 0 || c !== ZERO) {
        if (++digits > MAX_DIGITS) return undefined;
        mantissa = mantissa * 10 + (c - ZERO);
      }
      scale--;
      c = ++p < end ? bytes[p] : 0;
    }
  }
  if (!sawDigit) return undefined;
  if (c === LOWER_E || c === UPPER_E) {
    c = ++p < end ? bytes[p] : 0;
    const negativeExponent = c === MINUS;
    if (negativeExponent || c === PLUS) c = ++p < end ? bytes[p] : 0;
    let exponent = 0;
    let exponentDigits = 0;
    while (c >= ZERO && c <= NINE) {
      if (++exponentDigits > 4) return undefined;
      exponent = exponent * 10 + (c - ZERO);
      c = ++p < end ? bytes[p] : 0;
    }
    if (exponentDigits === 0) return undefined;
    scale += negativeExponent ? -exponent : exponent;
  }
  if (p !== end) return undefined;
  let value: number;
  if (mantissa === 0) value = 0;
  else if (scale === 0) value = mantissa;
  else if (scale > 0 && scale <= MAX_EXPONENT) value = mantissa * POW10[scale];
  else if (scale < 0 && scale >= -MAX_EXPONENT) value = mantissa / POW10[-scale];
  else return undefined;
  return negative ? -value : value;
}
