import { compileMatchers, matcherReasons, type LabelMatcher } from './label-matcher';

const labels = { modelId: 'bikes-v2', reason: 'drift share 0.6 > 0.5' };

describe('compileMatchers', () => {
  it.each<[string, LabelMatcher[], boolean]>([
    ['no matchers match everything', [], true],
    ['= on an equal value', [{ name: 'modelId', op: '=', value: 'bikes-v2' }], true],
    ['= on another value', [{ name: 'modelId', op: '=', value: 'bikes' }], false],
    ['!= on another value', [{ name: 'modelId', op: '!=', value: 'bikes' }], true],
    ['!= on the same value', [{ name: 'modelId', op: '!=', value: 'bikes-v2' }], false],
    ['=~ is anchored at both ends', [{ name: 'modelId', op: '=~', value: 'bikes' }], false],
    ['=~ matching the whole value', [{ name: 'modelId', op: '=~', value: 'bikes-.*' }], true],
    ['=~ with an alternation stays anchored', [{ name: 'modelId', op: '=~', value: 'x|bikes-v2' }], true],
    ['!~ on a matching value', [{ name: 'modelId', op: '!~', value: 'bikes-.*' }], false],
    ['!~ on a value it does not match', [{ name: 'modelId', op: '!~', value: 'taxi.*' }], true],
    ['an absent label reads as ""', [{ name: 'modelVersion', op: '=', value: '' }], true],
    ['!= matches an absent label', [{ name: 'modelVersion', op: '!=', value: 'v1' }], true],
    ['=~ .+ needs the label', [{ name: 'modelVersion', op: '=~', value: '.+' }], false],
    [
      'every matcher must hold',
      [
        { name: 'modelId', op: '=~', value: 'bikes.*' },
        { name: 'reason', op: '=~', value: 'drift.*' },
        { name: 'reason', op: '!~', value: '.*manual.*' },
      ],
      true,
    ],
    [
      'one failing matcher is enough to fail',
      [
        { name: 'modelId', op: '=~', value: 'bikes.*' },
        { name: 'reason', op: '=', value: 'manual' },
      ],
      false,
    ],
  ])('%s', (_, matchers, expected) => {
    expect(compileMatchers(matchers)(labels)).toBe(expected);
  });
});

describe('matcherReasons', () => {
  it('names each regex that does not compile, and ignores equality values', () => {
    expect(
      matcherReasons([
        { name: 'modelId', op: '=', value: '(' },
        { name: 'modelId', op: '=~', value: 'ok.*' },
        { name: 'reason', op: '!~', value: '[' },
      ]),
    ).toEqual([expect.stringMatching(/^\/matchers\/2\/value: not a regular expression/)]);
  });
});
