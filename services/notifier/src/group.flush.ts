import type { AlertStatus } from '@driftline/contracts';

/** What the last notification of a group told (Alertmanager's notification log entry). */
export interface NotificationLogEntry {
  firing: readonly string[];
  resolved: readonly string[];
  /** Epoch ms. */
  at: number;
}

/** An alert of the group at flush time. */
export interface FlushMember {
  alertId: string;
  status: AlertStatus;
  /** Silenced or inhibited now. */
  muted: boolean;
}

export interface GroupNotification {
  /** resolved: no alert of the group fires (unmuted) any more; the message is titled "Resolved". */
  kind: 'firing' | 'resolved';
  firing: string[];
  resolved: string[];
}

export interface FlushOutcome {
  /** What to send, or null. */
  notification: GroupNotification | null;
  /** The log after this flush (the old one when nothing is sent). */
  log: NotificationLogEntry | null;
  /** Alerts leaving the group: every resolved one has been told or never needed telling. */
  remove: string[];
  /** The next flush, group_interval from now; null when the group is left empty (it is deleted). */
  nextFlushAt: number | null;
}

const isSubset = (set: ReadonlySet<string>, subset: Iterable<string>) => {
  for (const item of subset) if (!set.has(item)) return false;
  return true;
};

/** A new group first flushes group_wait after its first alert. */
export function firstFlushAt(openedAt: number, groupWaitMs: number): number {
  return openedAt + groupWaitMs;
}

/**
 * Alertmanager's DedupStage.needsUpdate (notify/notify.go), with resolved notifications on: whether
 * the group must be told, given what it was last told.
 */
export function needsUpdate(
  log: NotificationLogEntry | null,
  firing: ReadonlySet<string>,
  resolved: ReadonlySet<string>,
  repeatIntervalMs: number,
  now: number,
): boolean {
  // never told: only firing alerts are news
  if (log === null) return firing.size > 0;
  // an alert fires that the last notification did not list
  if (!isSubset(new Set(log.firing), firing)) return true;
  // nothing fires: news only if the receiver was told something fires
  if (firing.size === 0) return log.firing.length > 0;
  // an alert resolved since
  if (!isSubset(new Set(log.resolved), resolved)) return true;
  // unchanged: tell again once repeat_interval has passed
  return log.at + repeatIntervalMs <= now;
}

/**
 * One flush of an aggregation group, as Alertmanager's pipeline runs it after the mute stages:
 * muted firing alerts are left out; a resolved alert is only news to a receiver that was told it
 * fires; an all-muted group sends nothing. Resolved alerts leave the group once flushed, and a
 * group left without alerts ends.
 */
export function flushGroup(
  members: readonly FlushMember[],
  log: NotificationLogEntry | null,
  timers: { groupIntervalMs: number; repeatIntervalMs: number },
  now: number,
): FlushOutcome {
  const told = new Set(log?.firing ?? []);
  const firing = members.filter((m) => m.status === 'firing' && !m.muted).map((m) => m.alertId);
  const resolved = members
    .filter((m) => m.status === 'resolved' && told.has(m.alertId))
    .map((m) => m.alertId);
  const remove = members.filter((m) => m.status === 'resolved').map((m) => m.alertId);
  const notify =
    firing.length + resolved.length > 0 &&
    needsUpdate(log, new Set(firing), new Set(resolved), timers.repeatIntervalMs, now);
  return {
    notification: notify ? { kind: firing.length === 0 ? 'resolved' : 'firing', firing, resolved } : null,
    log: notify ? { firing, resolved, at: now } : log,
    remove,
    nextFlushAt: members.length === remove.length ? null : now + timers.groupIntervalMs,
  };
}
