/**
 * The JSON the README shows, with its elisions: `…` (or `...`) for "more here". A bare `…` member
 * (`{"a":1,…}`, `{…}`) or a `"…": "…"` member leaves an object open to more keys, `[…]` stands for
 * any array, and a string holding `…` (`"0b6d…"`, `"…"`) for any string. Everything else is what
 * the answer must hold, key for key.
 */
export type Example =
  | { kind: 'any' }
  | { kind: 'anyArray' }
  | { kind: 'anyString' }
  | { kind: 'value'; value: string | number | boolean | null }
  | { kind: 'object'; entries: [string, Example][]; open: boolean }
  | { kind: 'array'; items: Example[] };

const ELISIONS = ['…', '...'];
const isElided = (text: string) => ELISIONS.some((e) => text.includes(e));

/** Parses README JSON with elisions; throws with the offset on anything else. */
export function parseExample(text: string): Example {
  let at = 0;
  const fail = (what: string): never => {
    throw new Error(`README example: ${what} at ${at}: ${text.slice(Math.max(0, at - 30), at + 30)}`);
  };
  const skip = () => {
    while (at < text.length && /\s/.test(text[at])) at++;
  };
  const ellipsis = (): boolean => {
    skip();
    const found = ELISIONS.find((e) => text.startsWith(e, at));
    if (found) at += found.length;
    return found !== undefined;
  };
  const expect = (char: string) => {
    skip();
    if (text[at] !== char) fail(`expected ${char}`);
    at++;
  };
  const string = (): string => {
    skip();
    const match = /^"(?:[^"\\]|\\.)*"/.exec(text.slice(at));
    if (!match) return fail('expected a string');
    at += match[0].length;
    return JSON.parse(match[0]) as string;
  };
  const value = (): Example => {
    if (ellipsis()) return { kind: 'any' };
    skip();
    const char = text[at];
    if (char === '{') return object();
    if (char === '[') return array();
    if (char === '"') {
      const s = string();
      return isElided(s) ? { kind: 'anyString' } : { kind: 'value', value: s };
    }
    const literal = /^(-?\d+(?:\.\d+)?(?:[eE][-+]?\d+)?|true|false|null)/.exec(text.slice(at));
    if (!literal) return fail('expected a value');
    at += literal[0].length;
    return { kind: 'value', value: JSON.parse(literal[0]) as number | boolean | null };
  };
  const object = (): Example => {
    expect('{');
    const entries: [string, Example][] = [];
    let open = false;
    skip();
    if (text[at] === '}') {
      at++;
      return { kind: 'object', entries, open };
    }
    for (;;) {
      if (ellipsis()) open = true;
      else {
        const key = string();
        expect(':');
        const member = value();
        if (ELISIONS.includes(key)) open = true;
        else entries.push([key, member]);
      }
      skip();
      if (text[at] === '}') break;
      expect(',');
    }
    at++;
    return { kind: 'object', entries, open };
  };
  const array = (): Example => {
    expect('[');
    const items: Example[] = [];
    skip();
    if (text[at] === ']') {
      at++;
      return { kind: 'array', items };
    }
    for (;;) {
      items.push(value());
      skip();
      if (text[at] === ']') break;
      expect(',');
    }
    at++;
    return items.length === 1 && items[0].kind === 'any' ? { kind: 'anyArray' } : { kind: 'array', items };
  };
  const parsed = value();
  skip();
  if (at !== text.length) fail('unexpected text after the value');
  return parsed;
}

export interface MatchOptions {
  /**
   * Keys whose README value is an example of its type (a duration, a generated id, a time): the
   * answer's value must have that type, not that value.
   */
  examples?: readonly string[];
  /** Keys of arrays whose items may come in any order. */
  unordered?: readonly string[];
}

const typeOf = (v: unknown) => (v === null ? 'null' : Array.isArray(v) ? 'array' : typeof v);

/** Where `actual` differs from the README's example, one line a difference; empty when it holds. */
export function differences(
  example: Example,
  actual: unknown,
  options: MatchOptions = {},
  path = '$',
  key = '',
): string[] {
  const got = JSON.stringify(actual);
  switch (example.kind) {
    case 'any':
      return [];
    case 'anyString':
      return typeof actual === 'string' ? [] : [`${path}: a string in the README, ${got} here`];
    case 'anyArray':
      return Array.isArray(actual) ? [] : [`${path}: an array in the README, ${got} here`];
    case 'value':
      if (options.examples?.includes(key)) {
        return typeOf(actual) === typeOf(example.value)
          ? []
          : [`${path}: a ${typeOf(example.value)} in the README, ${got} here`];
      }
      return actual === example.value
        ? []
        : [`${path}: ${JSON.stringify(example.value)} in the README, ${got} here`];
    case 'object': {
      if (typeOf(actual) !== 'object') return [`${path}: an object in the README, ${got} here`];
      const record = actual as Record<string, unknown>;
      const missing = example.entries
        .filter(([name]) => !(name in record))
        .map(([name]) => `${path}.${name}: in the README, missing here`);
      const extra = example.open
        ? []
        : Object.keys(record)
            .filter((name) => !example.entries.some(([k]) => k === name))
            .map((name) => `${path}.${name}: not in the README, ${JSON.stringify(record[name])} here`);
      const unequal = example.entries
        .filter(([name]) => name in record)
        .flatMap(([name, item]) => differences(item, record[name], options, `${path}.${name}`, name));
      return [...missing, ...extra, ...unequal];
    }
    case 'array': {
      if (!Array.isArray(actual)) return [`${path}: an array in the README, ${got} here`];
      if (actual.length !== example.items.length) {
        return [`${path}: ${example.items.length} items in the README, ${actual.length} here: ${got}`];
      }
      if (!options.unordered?.includes(key)) {
        return example.items.flatMap((item, i) =>
          differences(item, actual[i], options, `${path}[${i}]`, key),
        );
      }
      // each README item takes the first answer item it matches
      const left = [...actual];
      return example.items.flatMap((item, i) => {
        const match = left.findIndex((a) => differences(item, a, options).length === 0);
        if (match < 0) return [`${path}[${i}]: no item here matches the README's: ${got}`];
        left.splice(match, 1);
        return [];
      });
    }
  }
}
