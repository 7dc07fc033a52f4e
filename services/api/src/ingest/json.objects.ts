import { isUtf8 } from 'node:buffer';

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const COMMA = 0x2c;
const OPEN_ARRAY = 0x5b;
const CLOSE_ARRAY = 0x5d;
const OPEN_OBJECT = 0x7b;
const CLOSE_OBJECT = 0x7d;

const isSpace = (c: number): boolean => c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09;

function skipSpace(raw: Buffer, i: number): number {
  while (i < raw.length && isSpace(raw[i])) i++;
  return i;
}

/** The index just past the object opening at `start` (its `{`), or -1 when the text ends first. */
function objectEnd(raw: Buffer, start: number): number {
  let depth = 0;
  let inString = false;
  for (let i = start; i < raw.length; i++) {
    const c = raw[i];
    if (inString) {
      if (c === BACKSLASH) i++;
      else if (c === QUOTE) inString = false;
    } else if (c === QUOTE) inString = true;
    else if (c === OPEN_OBJECT || c === OPEN_ARRAY) depth++;
    else if ((c === CLOSE_OBJECT || c === CLOSE_ARRAY) && --depth === 0) return i + 1;
  }
  return -1;
}

/**
 * The UTF-8 text of each object of a JSON body that is an array of objects (or one object), as
 * views of `raw`, so an event goes to Kafka as the bytes it came in, not parsed and serialised
 * again. Only for a body JSON.parse has read: this finds where the objects end, it does not check
 * the grammar. Null when the bytes are not UTF-8 (another charset), or not objects at the top.
 */
export function jsonObjects(raw: Buffer): Buffer[] | null {
  if (!isUtf8(raw)) return null;
  const bom = raw[0] === 0xef && raw[1] === 0xbb && raw[2] === 0xbf ? 3 : 0;
  let i = skipSpace(raw, bom);
  const objects: Buffer[] = [];
  const single = raw[i] === OPEN_OBJECT;
  if (!single) {
    if (raw[i] !== OPEN_ARRAY) return null;
    i = skipSpace(raw, i + 1);
    if (raw[i] === CLOSE_ARRAY) return skipSpace(raw, i + 1) === raw.length ? objects : null;
  }
  for (;;) {
    if (raw[i] !== OPEN_OBJECT) return null;
    const end = objectEnd(raw, i);
    if (end < 0) return null;
    objects.push(raw.subarray(i, end));
    i = skipSpace(raw, end);
    if (single) return i === raw.length ? objects : null;
    if (raw[i] === CLOSE_ARRAY) return skipSpace(raw, i + 1) === raw.length ? objects : null;
    if (raw[i] !== COMMA) return null;
    i = skipSpace(raw, i + 1);
  }
}
