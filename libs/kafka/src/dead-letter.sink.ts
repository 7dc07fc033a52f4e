import type { DeadLetterRecord } from '@driftline/contracts';
import type { EventPublisher } from './event.publisher';

export interface DeadLetterSink {
  send(records: DeadLetterRecord[]): Promise<void>;
}

/** Dead letters keep the source key, so one model's rejects stay together and in order. */
export class KafkaDeadLetterSink implements DeadLetterSink {
  constructor(
    private readonly publisher: EventPublisher,
    private readonly topic: string,
  ) {}

  async send(records: DeadLetterRecord[]): Promise<void> {
    await this.publisher.publish(
      this.topic,
      records.map((record) => ({ key: record.key, value: record })),
    );
  }
}
