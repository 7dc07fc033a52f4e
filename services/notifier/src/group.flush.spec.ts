import { flushGroup, needsUpdate, type FlushMember, type NotificationLogEntry } from './group.flush';

const MINUTE = 60_000;
const now = 1_000 * MINUTE;
const set = (...ids: number[]) => new Set(ids.map(String));
const entry = (firing: number[], resolved: number[] = [], at = now - 9 * MINUTE): NotificationLogEntry => ({
  firing: firing.map(String),
  resolved: resolved.map(String),
  at,
});

// Alertmanager's TestDedupStageNeedsUpdate (notify/notify_test.go), the cases with send_resolved on
describe('needsUpdate', () => {
  it.each<{
    name: string;
    log: NotificationLogEntry | null;
    firing: Set<string>;
    resolved: Set<string>;
    repeat: number;
    expected: boolean;
  }>([
    {
      name: 'no log entry, alerts firing',
      log: null,
      firing: set(2, 3, 4),
      resolved: set(),
      repeat: 0,
      expected: true,
    },
    {
      name: 'no log entry, only resolved alerts',
      log: null,
      firing: set(),
      resolved: set(2, 3, 4),
      repeat: 0,
      expected: false,
    },
    {
      name: 'another set of firing alerts',
      log: entry([1, 2, 3]),
      firing: set(2, 3, 4),
      resolved: set(),
      repeat: 10 * MINUTE,
      expected: true,
    },
    {
      name: 'a log entry with a zero timestamp',
      log: entry([1, 2, 3], [], 0),
      firing: set(1, 2, 3),
      resolved: set(),
      repeat: 10 * MINUTE,
      expected: true,
    },
    {
      name: 'the same alerts before repeat_interval',
      log: entry([1, 2, 3], [], now - 9 * MINUTE),
      firing: set(1, 2, 3),
      resolved: set(),
      repeat: 10 * MINUTE,
      expected: false,
    },
    {
      name: 'the same alerts after repeat_interval',
      log: entry([1, 2, 3], [], now - 11 * MINUTE),
      firing: set(1, 2, 3),
      resolved: set(),
      repeat: 10 * MINUTE,
      expected: true,
    },
    {
      name: 'the same alerts exactly at repeat_interval',
      log: entry([1, 2, 3], [], now - 10 * MINUTE),
      firing: set(1, 2, 3),
      resolved: set(),
      repeat: 10 * MINUTE,
      expected: true,
    },
    {
      name: 'fewer firing alerts, none newly resolved',
      log: entry([1, 2, 3]),
      firing: set(1, 2),
      resolved: set(),
      repeat: 10 * MINUTE,
      expected: false,
    },
    {
      name: 'other resolved alerts and nothing firing, told nothing fires',
      log: entry([], [1, 2, 3], now - 11 * MINUTE),
      firing: set(),
      resolved: set(3, 4, 5),
      repeat: 10 * MINUTE,
      expected: false,
    },
    {
      name: 'newly resolved alerts while others fire',
      log: entry([1, 2], [3]),
      firing: set(1),
      resolved: set(2, 3),
      repeat: 10 * MINUTE,
      expected: true,
    },
    {
      name: 'nothing fires any more, told some fired',
      log: entry([1, 2], [3]),
      firing: set(),
      resolved: set(1, 2, 3),
      repeat: 10 * MINUTE,
      expected: true,
    },
  ])('$name → $expected', ({ log, firing, resolved, repeat, expected }) => {
    expect(needsUpdate(log, firing, resolved, repeat, now)).toBe(expected);
  });
});

const member = (alertId: string, status: 'firing' | 'resolved', muted = false): FlushMember => ({
  alertId,
  status,
  muted,
});
const timers = { groupIntervalMs: 5 * MINUTE, repeatIntervalMs: 4 * 60 * MINUTE };

describe('flushGroup', () => {
  it.each<{
    name: string;
    members: FlushMember[];
    log: NotificationLogEntry | null;
    notification: { kind: 'firing' | 'resolved'; firing: string[]; resolved: string[] } | null;
    remove: string[];
    ends: boolean;
  }>([
    {
      name: 'a new group tells every firing alert',
      members: [member('a', 'firing'), member('b', 'firing')],
      log: null,
      notification: { kind: 'firing', firing: ['a', 'b'], resolved: [] },
      remove: [],
      ends: false,
    },
    {
      name: 'an all-muted group tells nothing and keeps its alerts',
      members: [member('a', 'firing', true), member('b', 'firing', true)],
      log: null,
      notification: null,
      remove: [],
      ends: false,
    },
    {
      name: 'a muted alert is left out of the message',
      members: [member('a', 'firing'), member('b', 'firing', true)],
      log: null,
      notification: { kind: 'firing', firing: ['a'], resolved: [] },
      remove: [],
      ends: false,
    },
    {
      name: 'fired and resolved before anyone was told: nothing, and the group ends',
      members: [member('a', 'resolved')],
      log: null,
      notification: null,
      remove: ['a'],
      ends: true,
    },
    {
      name: 'every told alert resolved: one "resolved" notification, and the group ends',
      members: [member('a', 'resolved'), member('b', 'resolved')],
      log: { firing: ['a', 'b'], resolved: [], at: now - MINUTE },
      notification: { kind: 'resolved', firing: [], resolved: ['a', 'b'] },
      remove: ['a', 'b'],
      ends: true,
    },
    {
      name: 'one of two resolved: an update listing both',
      members: [member('a', 'resolved'), member('b', 'firing')],
      log: { firing: ['a', 'b'], resolved: [], at: now - MINUTE },
      notification: { kind: 'firing', firing: ['b'], resolved: ['a'] },
      remove: ['a'],
      ends: false,
    },
    {
      name: 'a resolved alert the receiver never heard of is dropped silently',
      members: [member('a', 'firing'), member('c', 'resolved')],
      log: { firing: ['a'], resolved: [], at: now - MINUTE },
      notification: null,
      remove: ['c'],
      ends: false,
    },
    {
      name: 'silenced after being told: no "resolved" message while it still fires',
      members: [member('a', 'firing', true)],
      log: { firing: ['a'], resolved: [], at: now - MINUTE },
      notification: null,
      remove: [],
      ends: false,
    },
  ])('$name', ({ members, log, notification, remove, ends }) => {
    const outcome = flushGroup(members, log, timers, now);
    expect(outcome.notification).toEqual(notification);
    expect(outcome.remove).toEqual(remove);
    expect(outcome.nextFlushAt).toBe(ends ? null : now + timers.groupIntervalMs);
    expect(outcome.log).toEqual(
      notification === null ? log : { firing: notification.firing, resolved: notification.resolved, at: now },
    );
  });
});
