import type { UnitOfWork } from '@driftline/db';
import { silentLogger } from '@driftline/kafka';
import { batch, prediction } from '../../../test/monitor/monitor.mocks';
import { strictMock } from '../../../test/utils/strict-mock';
import { ServiceMetrics } from '@driftline/common';
import type { EventCountService } from './event-count.service';
import { EventDedupService } from './event-dedup.service';
import type { GroundTruthPipeline } from './ground-truth.pipeline';
import { MonitorService } from './monitor.service';
import { readPredictions } from './prediction.arrivals';
import type { PredictionPipeline } from './prediction.pipeline';
import { SerialQueue } from './serial.queue';

describe('MonitorService', () => {
  it('dedups first: the counts and the pipeline get one pass over the fresh events, the duplicates apart', async () => {
    const events = [prediction('m', 0, 'p1'), prediction('m', 1, 'p2')];
    const all = batch([events[0], events[1], events[0]]);
    const recordCounts = jest.fn(async () => undefined);
    const handleArrivals = jest.fn(async () => undefined);
    const tx = strictMock<UnitOfWork>({
      seenEvents: strictMock<UnitOfWork['seenEvents']>({
        store: jest.fn(async () => []),
      }),
    });
    const monitor = new MonitorService(
      new EventDedupService(86_400_000, new ServiceMetrics('monitor'), silentLogger),
      strictMock<EventCountService>({ recordCounts }),
      strictMock<PredictionPipeline>({ handleArrivals }),
      strictMock<GroundTruthPipeline>({}),
      new SerialQueue(),
    );
    await monitor.recordPredictions(all, tx);
    const arrivals = readPredictions(all.records.slice(0, 2), [all.records[2]]);
    expect(arrivals.byModel.get('m')?.map((a) => a.duplicate)).toEqual([false, false, true]);
    // two fresh events counted, the third as a duplicate
    expect(arrivals.counts.filter((p) => p.feature === '').map((p) => [p.metric, p.value])).toEqual([
      ['prediction_count', 2],
      ['duplicate_prediction_count', 1],
    ]);
    expect(recordCounts).toHaveBeenCalledWith(['m'], arrivals.counts, tx);
    expect(handleArrivals).toHaveBeenCalledWith(arrivals, expect.anything());
  });
});
