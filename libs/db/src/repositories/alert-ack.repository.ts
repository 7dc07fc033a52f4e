import type { EntityManager } from 'typeorm';

export interface AlertAck {
  alertId: string;
  acknowledgedAt: Date;
  acknowledgedBy: string | null;
  comment: string | null;
}

/** The api is the only writer: acks are people's, the alerts they name the monitor's. */
export interface AlertAckRepository {
  /** Records the ack unless the alert has one; answers the ack in force (the first), null for an unknown alert. */
  acknowledge(alertId: string, by: string | null, comment: string | null): Promise<AlertAck | null>;
  /** The acks of these alerts, by alertId. */
  findFor(alertIds: string[]): Promise<Map<string, AlertAck>>;
}

interface AckRow {
  alert_id: string;
  acknowledged_at: Date;
  acknowledged_by: string | null;
  comment: string | null;
}

const toAck = (r: AckRow): AlertAck => ({
  alertId: r.alert_id,
  acknowledgedAt: r.acknowledged_at,
  acknowledgedBy: r.acknowledged_by,
  comment: r.comment,
});

export class TypeOrmAlertAckRepository implements AlertAckRepository {
  constructor(private readonly manager: EntityManager) {}

  async acknowledge(alertId: string, by: string | null, comment: string | null): Promise<AlertAck | null> {
    // An unknown alert inserts nothing; a second ack answers the first.
    const rows: AckRow[] = await this.manager.query(
      `WITH inserted AS (
         INSERT INTO alert_acks (alert_id, acknowledged_by, comment)
         SELECT id, $2, $3 FROM alerts WHERE id = $1
         ON CONFLICT (alert_id) DO NOTHING
         RETURNING alert_id, acknowledged_at, acknowledged_by, comment)
       SELECT * FROM inserted
       UNION ALL
       SELECT alert_id, acknowledged_at, acknowledged_by, comment FROM alert_acks WHERE alert_id = $1`,
      [alertId, by, comment],
    );
    if (rows[0] !== undefined) return toAck(rows[0]);
    // A concurrent first ack committed after this statement's snapshot: read it in a new one.
    return (await this.findFor([alertId])).get(alertId) ?? null;
  }

  async findFor(alertIds: string[]): Promise<Map<string, AlertAck>> {
    if (alertIds.length === 0) return new Map();
    const rows: AckRow[] = await this.manager.query(
      `SELECT alert_id, acknowledged_at, acknowledged_by, comment FROM alert_acks WHERE alert_id = ANY($1::text[])`,
      [alertIds],
    );
    return new Map(rows.map((r) => [r.alert_id, toAck(r)]));
  }
}
