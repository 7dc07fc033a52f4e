/** Below this many values the built-in typed sort is as fast. */
const RADIX_MIN_LENGTH = 2048;
const DIGITS = 8;
const RADIX = 256;
/** The word and byte order below is little-endian's; elsewhere the built-in sort runs. */
const LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

/**
 * The 64-bit words of `values` (low, high), made to order as unsigned integers the way the numbers
 * order: negatives have every bit flipped, the others only the sign bit (so -0 < +0, as the
 * typed sort puts them). The words move as integers, never as doubles, so no bit is lost.
 */
function orderedWords(values: Float64Array): Uint32Array {
  const words = new Uint32Array(values.length * 2);
  words.set(new Uint32Array(values.buffer, values.byteOffset, values.length * 2));
  for (let i = 1; i < words.length; i += 2) {
    if (words[i] & 0x80000000) {
      words[i] = ~words[i];
      words[i - 1] = ~words[i - 1];
    } else {
      words[i] |= 0x80000000;
    }
  }
  return words;
}

function restoredNumbers(words: Uint32Array): Float64Array {
  for (let i = 1; i < words.length; i += 2) {
    if (words[i] & 0x80000000) {
      words[i] &= 0x7fffffff;
    } else {
      words[i] = ~words[i];
      words[i - 1] = ~words[i - 1];
    }
  }
  return new Float64Array(words.buffer, 0, words.length / 2);
}

/** Counts of every byte value at each of the 8 byte positions (little-endian), in one pass. */
function byteCounts(bytes: Uint8Array, n: number): Uint32Array {
  const counts = new Uint32Array(DIGITS * RADIX);
  for (let i = 0; i < n; i++) {
    const base = i * 8;
    for (let d = 0; d < DIGITS; d++) counts[d * RADIX + bytes[base + d]]++;
  }
  return counts;
}

/**
 * A sorted copy of finite or infinite numbers (no NaN), in the order of `Float64Array.prototype.sort`
 * (bit-identical: numbers sort to one order, and -0 before +0): a least-significant-byte-first
 * radix sort on the ordered bit patterns, skipping the bytes every value shares.
 */
export function sortedFloat64(values: Float64Array): Float64Array {
  const n = values.length;
  if (n < RADIX_MIN_LENGTH || !LITTLE_ENDIAN) return values.slice().sort();
  let from: Uint32Array = orderedWords(values);
  let to: Uint32Array = new Uint32Array(from.length);
  const counts = byteCounts(new Uint8Array(from.buffer), n);
  const offsets = new Uint32Array(RADIX);
  for (let d = 0; d < DIGITS; d++) {
    const digitCounts = counts.subarray(d * RADIX, (d + 1) * RADIX);
    if (digitCounts.includes(n)) continue;
    let sum = 0;
    for (let k = 0; k < RADIX; k++) {
      offsets[k] = sum;
      sum += digitCounts[k];
    }
    const bytes = new Uint8Array(from.buffer);
    for (let i = 0; i < n; i++) {
      const slot = offsets[bytes[i * 8 + d]]++ * 2;
      to[slot] = from[i * 2];
      to[slot + 1] = from[i * 2 + 1];
    }
    [from, to] = [to, from];
  }
  return restoredNumbers(from);
}
