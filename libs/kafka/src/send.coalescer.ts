/** One topic's share of a send: encoded messages, in the order they were submitted. */
export interface TopicMessages {
  topic: string;
  messages: { key: string | null; value: Buffer }[];
}

interface Submission extends TopicMessages {
  bytes: number;
  resolve(): void;
  reject(error: unknown): void;
}

/**
 * Keeps one send in flight and gathers what is submitted meanwhile into the next one, up to
 * `maxBytes` of values (a submission larger than that goes alone, as it came). Each submission
 * settles with the send that carried it: resolved once the broker has acknowledged it, rejected
 * with that send's error. kafkajs's idempotent producer sends one request at a time per broker
 * anyway, so concurrent callers would otherwise each wait for the round trips of all the requests
 * queued before theirs; here they share one. No timer: a lone submission leaves at once.
 */
export class SendCoalescer {
  private queue: Submission[] = [];
  private sending = false;

  constructor(
    private readonly send: (batch: TopicMessages[]) => Promise<void>,
    private readonly maxBytes: number,
  ) {}

  submit(topic: string, messages: TopicMessages['messages']): Promise<void> {
    let bytes = 0;
    for (const message of messages) bytes += message.value.length;
    return new Promise((resolve, reject) => {
      this.queue.push({ topic, messages, bytes, resolve, reject });
      if (!this.sending) void this.drain();
    });
  }

  private async drain(): Promise<void> {
    this.sending = true;
    while (this.queue.length > 0) {
      const taken = this.take();
      try {
        await this.send(byTopic(taken));
        for (const submission of taken) submission.resolve();
      } catch (error) {
        for (const submission of taken) submission.reject(error);
      }
    }
    this.sending = false;
  }

  /** The oldest submissions that fit in `maxBytes` together (at least one). */
  private take(): Submission[] {
    let bytes = this.queue[0].bytes;
    let count = 1;
    while (count < this.queue.length && bytes + this.queue[count].bytes <= this.maxBytes) {
      bytes += this.queue[count].bytes;
      count++;
    }
    return this.queue.splice(0, count);
  }
}

/** One entry per topic, its messages in submission order. */
function byTopic(submissions: Submission[]): TopicMessages[] {
  const topics = new Map<string, TopicMessages['messages'][]>();
  for (const { topic, messages } of submissions) {
    const gathered = topics.get(topic);
    if (gathered === undefined) topics.set(topic, [messages]);
    else gathered.push(messages);
  }
  return [...topics].map(([topic, parts]) => ({
    topic,
    messages: parts.length === 1 ? parts[0] : parts.flat(),
  }));
}
