import type { Database } from '@driftline/db';
import type { EventPublisher, Logger } from '@driftline/kafka';

/** Rows claimed per relay transaction. */
export const RELAY_BATCH = 500;

/**
 * Publishes outbox rows to Kafka: claims the oldest unsent rows (FOR UPDATE SKIP LOCKED, so two
 * monitors never take the same row), publishes them in id order, marks them sent, commits. A crash
 * after the publish and before the commit publishes them again: at least once, and consumers
 * dedupe by alertId / triggerId.
 */
export class OutboxRelay {
  constructor(
    private readonly database: Pick<Database, 'transaction'>,
    private readonly publisher: EventPublisher,
    private readonly logger: Logger,
  ) {}

  /** Relays until the outbox is empty; returns how many rows went out. */
  async drain(): Promise<number> {
    let total = 0;
    for (;;) {
      const sent = await this.relayOnce();
      total += sent;
      if (sent < RELAY_BATCH) return total;
    }
  }

  private relayOnce(): Promise<number> {
    return this.database.transaction(async (tx) => {
      const rows = await tx.outbox.claimUnsent(RELAY_BATCH);
      if (rows.length === 0) return 0;
      // consecutive rows of one topic go in one send, so each key's order is kept
      for (let i = 0; i < rows.length;) {
        let j = i;
        while (j < rows.length && rows[j].topic === rows[i].topic) j++;
        await this.publisher.publish(
          rows[i].topic,
          rows.slice(i, j).map((r) => ({ key: r.key, value: r.payload })),
        );
        i = j;
      }
      await tx.outbox.markSent(rows.map((r) => r.id));
      this.logger.info({ published: rows.length }, 'outbox relayed');
      return rows.length;
    });
  }
}
