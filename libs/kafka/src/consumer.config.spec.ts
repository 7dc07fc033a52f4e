import { loadConfig } from '@driftline/config';
import { consumerConfig, intervalFetchSettings } from './consumer.config';

describe('consumerConfig', () => {
  it('fetches with the CONSUMER_* defaults: 8 MiB a partition, up to 4 partitions’ worth (32 MiB) a fetch', () => {
    expect(consumerConfig('g', loadConfig({}).consumer)).toEqual({
      groupId: 'g',
      allowAutoTopicCreation: false,
      sessionTimeout: 30_000,
      heartbeatInterval: 3000,
      maxBytesPerPartition: 8 * 2 ** 20,
      maxBytes: 32 * 2 ** 20,
      minBytes: 1,
      maxWaitTimeInMs: 100,
    });
  });

  it('keeps a fetch at 10 MiB or more, and the heartbeat at a third of a short session', () => {
    const config = consumerConfig('g', { sessionTimeoutMs: 6000, maxBytesPerPartition: 1024 });
    expect(config).toMatchObject({ heartbeatInterval: 2000, maxBytes: 10 * 2 ** 20 });
  });

  it('leaves unset settings to kafkajs', () => {
    expect(Object.keys(consumerConfig('g', {})).sort()).toEqual(
      ['allowAutoTopicCreation', 'groupId', 'heartbeatInterval', 'sessionTimeout'].sort(),
    );
  });

  it('with a commit interval, waits at the broker for a partition’s worth of bytes, up to the shorter of the wait and the interval', () => {
    const settings = loadConfig({}).consumer;
    expect(intervalFetchSettings(settings, 0)).toBe(settings);
    expect(intervalFetchSettings(settings, 250)).toMatchObject({ minBytes: 8 * 2 ** 20, maxWaitMs: 100 });
    expect(intervalFetchSettings(settings, 50)).toMatchObject({ maxWaitMs: 50 });
    expect(intervalFetchSettings({ ...settings, maxWaitMs: 100, minBytes: 2 ** 30 }, 250)).toMatchObject({
      minBytes: 2 ** 30,
      maxWaitMs: 100,
    });
  });
});
