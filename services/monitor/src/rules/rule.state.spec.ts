import { emptyRuleState, judge, withFiring, type RuleState, type Verdict } from './rule.state';

const HOUR = 3_600_000;
const v = (window: number, breach: boolean, value = breach ? 0.9 : 0.1): Verdict => ({
  windowStart: (window - 1) * HOUR,
  windowEnd: window * HOUR,
  value,
  breach,
});

/** Runs verdicts through judge, firing alerts as the consumer would; returns the transition kinds. */
function run(verdicts: Verdict[], rule = { for: 2, resolveAfter: 2 }): { kinds: string[]; state: RuleState } {
  let state = emptyRuleState();
  const kinds: string[] = [];
  for (const verdict of verdicts) {
    const judged = judge(state, verdict, rule);
    state = judged.state;
    kinds.push(judged.transition.kind);
    if (judged.transition.kind === 'fire') {
      state = withFiring(state, { alertId: `a${judged.transition.episode}`, startsAt: verdict.windowEnd });
    }
  }
  return { kinds, state };
}

describe('judge', () => {
  it.each([
    ['fires after `for` breaching windows in a row', [v(1, true), v(2, true)], ['none', 'fire']],
    [
      'a clear window in between restarts the count',
      [v(1, true), v(2, false), v(3, true)],
      ['none', 'none', 'none'],
    ],
    [
      'updates while firing, resolves after `resolveAfter` clear windows',
      [v(1, true), v(2, true), v(3, true), v(4, false), v(5, false)],
      ['none', 'fire', 'update', 'none', 'resolve'],
    ],
    [
      'one clear window is not enough to resolve',
      [v(1, true), v(2, true), v(3, false), v(4, true)],
      ['none', 'fire', 'none', 'update'],
    ],
    [
      'a new episode after a resolve',
      [v(1, true), v(2, true), v(3, false), v(4, false), v(5, true), v(6, true)],
      ['none', 'fire', 'none', 'resolve', 'none', 'fire'],
    ],
  ])('%s', (_, verdicts, kinds) => {
    expect(run(verdicts).kinds).toEqual(kinds);
  });

  it('counts episodes so alert ids differ between them', () => {
    const { state } = run([v(1, true), v(2, true), v(3, false), v(4, false), v(5, true), v(6, true)]);
    expect(state.episodes).toBe(2);
    expect(state.firing?.alertId).toBe('a2');
  });

  it('judges a window again when late labels change it: the newer verdict replaces the older', () => {
    const rule = { for: 1, resolveAfter: 1 };
    const first = run([v(1, false), v(2, false)], rule);
    // window 2 rewritten with late labels that breach: the newest verdict now breaches
    const again = judge(first.state, v(2, true), rule);
    expect(again.transition.kind).toBe('fire');
    expect(again.state.verdicts.map((x) => x.breach)).toEqual([false, true]);
    // an older window rewritten does not change what the newest windows say
    const older = judge(first.state, v(1, true), rule);
    expect(older.transition.kind).toBe('none');
  });

  it('does not update a firing alert for an older window judged again', () => {
    const rule = { for: 1, resolveAfter: 3 };
    const { state } = run([v(1, true), v(2, true)], rule);
    expect(judge(state, v(1, true, 0.95), rule).transition.kind).toBe('none');
  });
});
