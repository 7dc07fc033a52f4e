import type { Admin } from 'kafkajs';
import type { Logger } from './logger';

export interface TopicSpec {
  partitions: number;
  replicationFactor: number;
}

/**
 * Creates the topics that do not exist yet. An existing topic keeps its partition count; a count
 * other than the requested one is logged because ground truth must stay co-partitioned with predictions.
 */
export async function ensureTopics(
  admin: Admin,
  topics: string[],
  spec: TopicSpec,
  logger?: Logger,
): Promise<void> {
  const existing = new Set(await admin.listTopics());
  const missing = topics.filter((t) => !existing.has(t));
  if (missing.length > 0) {
    try {
      await admin.createTopics({
        waitForLeaders: true,
        topics: missing.map((topic) => ({
          topic,
          numPartitions: spec.partitions,
          replicationFactor: spec.replicationFactor,
        })),
      });
    } catch (error) {
      // another process created some of them first: fine if they all exist now
      const now = new Set(await admin.listTopics());
      if (!topics.every((t) => now.has(t))) throw error;
    }
  }
  const present = topics.filter((t) => existing.has(t));
  if (present.length === 0 || !logger) return;
  const metadata = await admin.fetchTopicMetadata({ topics: present });
  for (const topic of metadata.topics) {
    if (topic.partitions.length !== spec.partitions) {
      logger.warn(
        { topic: topic.name, partitions: topic.partitions.length, expected: spec.partitions },
        'topic exists with a different partition count',
      );
    }
  }
}
