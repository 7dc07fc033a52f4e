import type { AlertAck, StoredAlert } from '@driftline/db';

type DateFields = 'windowStart' | 'windowEnd' | 'startsAt' | 'endsAt' | 'updatedAt';

/** Who acknowledged an alert and when; null until someone does. */
export interface AckView {
  at: string;
  by: string | null;
  comment: string | null;
}

/**
 * An alert with its evidence, as GET /v1/alerts returns it: the stored alert, dates as ISO text,
 * and its acknowledgement.
 */
export type AlertView = Omit<StoredAlert, DateFields> & {
  [K in DateFields]: StoredAlert[K] extends Date ? string : string | null;
} & { acknowledged: AckView | null };

export function alertView(a: StoredAlert, ack: AlertAck | undefined): AlertView {
  return {
    ...a,
    windowStart: a.windowStart.toISOString(),
    windowEnd: a.windowEnd.toISOString(),
    startsAt: a.startsAt.toISOString(),
    endsAt: a.endsAt?.toISOString() ?? null,
    updatedAt: a.updatedAt.toISOString(),
    acknowledged:
      ack === undefined
        ? null
        : { at: ack.acknowledgedAt.toISOString(), by: ack.acknowledgedBy, comment: ack.comment },
  };
}
