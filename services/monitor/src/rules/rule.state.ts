import type { MonitorOp } from '@driftline/contracts';

/** How one window stood against a rule. */
export interface Verdict {
  windowStart: number;
  windowEnd: number;
  value: number;
  breach: boolean;
}

/** An alert in progress: its id and when (in event time) the episode started. */
export interface FiringAlert {
  alertId: string;
  startsAt: number;
}

/** What a rule remembers for one monitor and feature: recent verdicts (by window end) and the firing alert. */
export interface RuleState {
  verdicts: Verdict[];
  firing: FiringAlert | null;
  /** Firing episodes so far; an alert id is derived from it, so replays give the same ids. */
  episodes: number;
}

export type Transition =
  | { kind: 'fire'; verdict: Verdict; episode: number }
  | { kind: 'update'; verdict: Verdict; alert: FiringAlert }
  | { kind: 'resolve'; verdict: Verdict; alert: FiringAlert }
  | { kind: 'none' };

/** Verdicts kept beyond the longest streak a rule looks at, for windows judged again late. */
export const EXTRA_VERDICTS = 8;

export const emptyRuleState = (): RuleState => ({ verdicts: [], firing: null, episodes: 0 });

export function breaches(value: number, op: MonitorOp, threshold: number): boolean {
  switch (op) {
    case '>':
      return value > threshold;
    case '>=':
      return value >= threshold;
    case '<':
      return value < threshold;
    case '<=':
      return value <= threshold;
  }
}

/** Consecutive verdicts at the newest end that agree with `breach`. */
function streak(verdicts: readonly Verdict[], breach: boolean): number {
  let n = 0;
  for (let i = verdicts.length - 1; i >= 0 && verdicts[i].breach === breach; i--) n++;
  return n;
}

/**
 * Records a window's verdict (a window judged again, e.g. after late labels, replaces its verdict)
 * and says what changed: the newest `for` verdicts all breaching fire an alert, the newest
 * `resolveAfter` all clear resolve it; while firing, a newer breaching window updates it. Pure.
 */
export function judge(
  state: RuleState,
  verdict: Verdict,
  rule: { for: number; resolveAfter: number },
): { state: RuleState; transition: Transition } {
  const verdicts = state.verdicts.filter((v) => v.windowEnd !== verdict.windowEnd);
  verdicts.push(verdict);
  verdicts.sort((a, b) => a.windowEnd - b.windowEnd);
  const kept = verdicts.slice(-(Math.max(rule.for, rule.resolveAfter) + EXTRA_VERDICTS));
  const newest = kept[kept.length - 1];
  if (state.firing === null) {
    if (streak(kept, true) >= rule.for) {
      const episode = state.episodes + 1;
      return {
        state: { verdicts: kept, firing: null, episodes: episode },
        transition: { kind: 'fire', verdict: newest, episode },
      };
    }
    return { state: { ...state, verdicts: kept }, transition: { kind: 'none' } };
  }
  if (streak(kept, false) >= rule.resolveAfter) {
    return {
      state: { verdicts: kept, firing: null, episodes: state.episodes },
      transition: { kind: 'resolve', verdict: newest, alert: state.firing },
    };
  }
  const transition: Transition =
    newest.breach && newest.windowEnd === verdict.windowEnd
      ? { kind: 'update', verdict: newest, alert: state.firing }
      : { kind: 'none' };
  return { state: { ...state, verdicts: kept }, transition };
}

/** After a fire transition, the state holds the new alert. */
export function withFiring(state: RuleState, alert: FiringAlert): RuleState {
  return { ...state, firing: alert };
}
