import type { EntityManager } from 'typeorm';

export interface OutboxMessage {
  topic: string;
  key: string | null;
  payload: unknown;
}

export interface StoredOutboxMessage extends OutboxMessage {
  id: string;
  createdAt: Date;
}

export interface OutboxRepository {
  add(messages: OutboxMessage[]): Promise<void>;
  /** Oldest unsent messages, locked (SKIP LOCKED) so parallel relays never take the same one. */
  claimUnsent(limit: number): Promise<StoredOutboxMessage[]>;
  markSent(ids: string[]): Promise<void>;
}

export class TypeOrmOutboxRepository implements OutboxRepository {
  constructor(private readonly manager: EntityManager) {}

  async add(messages: OutboxMessage[]): Promise<void> {
    if (messages.length === 0) return;
    await this.manager.query(
      `INSERT INTO outbox (topic, key, payload)
       SELECT * FROM unnest($1::text[], $2::text[], $3::jsonb[])`,
      [
        messages.map((m) => m.topic),
        messages.map((m) => m.key),
        messages.map((m) => JSON.stringify(m.payload)),
      ],
    );
  }

  async claimUnsent(limit: number): Promise<StoredOutboxMessage[]> {
    const rows: { id: string; topic: string; key: string | null; payload: unknown; created_at: Date }[] =
      await this.manager.query(
        `SELECT id, topic, key, payload, created_at FROM outbox
         WHERE sent_at IS NULL ORDER BY id LIMIT $1 FOR UPDATE SKIP LOCKED`,
        [limit],
      );
    return rows.map((r) => ({
      id: String(r.id),
      topic: r.topic,
      key: r.key,
      payload: r.payload,
      createdAt: r.created_at,
    }));
  }

  async markSent(ids: string[]): Promise<void> {
    if (ids.length === 0) return;
    await this.manager.query(`UPDATE outbox SET sent_at = now() WHERE id = ANY($1::bigint[])`, [ids]);
  }
}
