/** Alertmanager's matcher operators: equal, not equal, regex match, regex non-match. */
export const MATCHER_OPS = ['=', '!=', '=~', '!~'] as const;
export type MatcherOp = (typeof MATCHER_OPS)[number];

/** One condition on a label, as routes, silences and retrain pipelines write them. */
export interface LabelMatcher {
  name: string;
  op: MatcherOp;
  value: string;
}

/** The JSON Schema of one matcher; `names` restricts the label names a caller may match on. */
export function labelMatcherSchema(names?: readonly string[]) {
  return {
    type: 'object',
    additionalProperties: false,
    required: ['name', 'op', 'value'],
    properties: {
      name: names === undefined ? { type: 'string', minLength: 1, maxLength: 100 } : { enum: names },
      op: { enum: MATCHER_OPS },
      value: { type: 'string', maxLength: 1000 },
    },
  } as const;
}

/** Anchored at both ends, as Alertmanager anchors its regexes: `=~ "bikes"` does not match "bikes-v2". */
function anchored(value: string): RegExp {
  return new RegExp(`^(?:${value})$`);
}

/** Every regex matcher whose value does not compile, as `<path>/<index>/value: <why>`. */
export function matcherReasons(matchers: readonly LabelMatcher[], path = '/matchers'): string[] {
  const reasons: string[] = [];
  matchers.forEach((matcher, index) => {
    if (matcher.op !== '=~' && matcher.op !== '!~') return;
    try {
      anchored(matcher.value);
    } catch (error) {
      reasons.push(`${path}/${index}/value: not a regular expression (${(error as Error).message})`);
    }
  });
  return reasons;
}

export type LabelSet = Readonly<Record<string, string | undefined>>;

/**
 * Whether `labels` satisfy every matcher (an empty list matches everything). A label that is absent
 * reads as "", so `name != "x"` matches it and `name = ""` too, as in Alertmanager. The matchers must
 * have passed matcherReasons.
 */
export function compileMatchers(matchers: readonly LabelMatcher[]): (labels: LabelSet) => boolean {
  const tests = matchers.map(({ name, op, value }) => {
    const regex = op === '=~' || op === '!~' ? anchored(value) : null;
    const holds = (actual: string) => (regex === null ? actual === value : regex.test(actual));
    const negated = op === '!=' || op === '!~';
    return (labels: LabelSet) => holds(labels[name] ?? '') !== negated;
  });
  return (labels) => tests.every((test) => test(labels));
}
