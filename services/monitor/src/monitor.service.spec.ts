import type { UnitOfWork } from '@driftline/db';
import { silentLogger } from '@driftline/kafka';
import { batch, prediction } from '../../../test/monitor/monitor.mocks';
import { strictMock } from '../../../test/utils/strict-mock';
import { ServiceMetrics } from '@driftline/common';
import type { EventCountService } from './event-count.service';
import { EventDedupService } from './event-dedup.service';
import type { GroundTruthPipeline } from './ground-truth.pipeline';
import { MonitorService } from './monitor.service';
import type { PredictionPipeline } from './prediction.pipeline';
import { SerialQueue } from './serial.queue';

describe('MonitorService', () => {
  it('dedups first: the counts and the pipeline get the fresh events, and the duplicates apart', async () => {
    const events = [prediction('m', 0, 'p1'), prediction('m', 1, 'p2')];
    const all = batch([events[0], events[1], events[0]]);
    const recordPredictions = jest.fn(async () => undefined);
    const handle = jest.fn(async () => undefined);
    const tx = strictMock<UnitOfWork>({
      seenEvents: strictMock<UnitOfWork['seenEvents']>({
        store: jest.fn(async () => []),
      }),
    });
    const monitor = new MonitorService(
      new EventDedupService(86_400_000, new ServiceMetrics('monitor'), silentLogger),
      strictMock<EventCountService>({ recordPredictions }),
      strictMock<PredictionPipeline>({ handle }),
      strictMock<GroundTruthPipeline>({}),
      new SerialQueue(),
    );
    await monitor.recordPredictions(all, tx);
    const fresh = { ...all, records: all.records.slice(0, 2) };
    expect(recordPredictions).toHaveBeenCalledWith(fresh, tx, [all.records[2]]);
    expect(handle).toHaveBeenCalledWith(fresh, expect.anything(), [all.records[2]]);
  });
});
