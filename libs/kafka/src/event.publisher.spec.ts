import { Partitioners, type PartitionerArgs } from 'kafkajs';
import { rememberingPartitioner } from './event.publisher';

const metadata = (count: number): PartitionerArgs['partitionMetadata'] =>
  Array.from({ length: count }, (_, partitionId) => ({
    partitionId,
    partitionErrorCode: 0,
    leader: 1,
    replicas: [1],
    isr: [1],
  }));

describe('rememberingPartitioner', () => {
  it("places every key where kafkajs's DefaultPartitioner does, also after the partition count changes", () => {
    const remembering = rememberingPartitioner();
    const reference = Partitioners.DefaultPartitioner();
    for (const count of [6, 6, 12, 1, 6]) {
      for (let k = 0; k < 500; k++) {
        const args = {
          topic: 't',
          partitionMetadata: metadata(count),
          message: { key: `model-${k}`, value: 'v' },
        };
        expect(remembering(args)).toBe(reference(args));
      }
    }
  });

  it('keeps an explicit partition', () => {
    const args = {
      topic: 't',
      partitionMetadata: metadata(6),
      message: { key: 'a', value: 'v', partition: 4 },
    };
    expect(rememberingPartitioner()(args)).toBe(4);
  });
});
