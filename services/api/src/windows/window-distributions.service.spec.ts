import type { ReferenceProfileRepository, WindowSummaryRepository } from '@driftline/db';
import { CategoricalSummary, NumericSummary, type ReferenceProfileJSON } from '@driftline/stats';
import type { ModelsService } from '../models/models.service';
import { rejectionOf, strictMock } from '../models/strict.mock';
import { WindowDistributionsService } from './window-distributions.service';
import { windowDistributions, type StoredPane } from './window.distributions';

function numeric(values: number[], edges: number[]): NumericSummary {
  const summary = new NumericSummary({ edges });
  for (const v of values) summary.update(v);
  return summary;
}

function categorical(values: (string | null)[]): CategoricalSummary {
  const summary = new CategoricalSummary();
  for (const v of values) summary.update(v);
  return summary;
}

/** A reference of two columns: temp on edges [10, 20], weather clear/rain. */
function profile(): ReferenceProfileJSON {
  return {
    version: 1,
    rows: 6,
    bins: 3,
    sampleCap: 100,
    seed: 1,
    columns: [
      {
        name: 'temp',
        role: 'feature',
        type: 'numeric',
        declared: true,
        rows: 6,
        edges: [10, 20],
        edgeSource: 'sample',
        shares: [],
        categories: [],
        numeric: numeric([5, 8, 12, 15, 25, 30], [10, 20]).toJSON(),
        categorical: null,
        sample: [],
        sampleComplete: true,
      },
      {
        name: 'weather',
        role: 'feature',
        type: 'categorical',
        declared: true,
        rows: 6,
        edges: [],
        edgeSource: null,
        shares: [],
        categories: [],
        numeric: null,
        categorical: categorical(['rain', 'clear', 'clear', 'clear', null, 'clear']).toJSON(),
        sample: [],
        sampleComplete: true,
      },
    ],
  };
}

describe('windowDistributions', () => {
  it("counts the window on the reference's bins, and the categories of both in code-point order", () => {
    const pane: StoredPane = {
      columns: {
        weather: categorical(['snow', 'rain', 'rain', null, null]).toJSON(),
        temp: numeric([1, 11, 21, 22, 40], [10, 20]).toJSON(),
      },
    };
    expect(windowDistributions(pane, profile())).toEqual([
      {
        column: 'temp',
        role: 'feature',
        type: 'numeric',
        edges: [10, 20],
        range: [1, 40],
        categories: [],
        reference: [2, 2, 2],
        current: [1, 1, 3],
        missing: { reference: 0, current: 0 },
      },
      {
        column: 'weather',
        role: 'feature',
        type: 'categorical',
        edges: [],
        range: null,
        categories: ['clear', 'rain', 'snow'],
        reference: [4, 1, 0],
        current: [0, 2, 1],
        missing: { reference: 1, current: 2 },
      },
    ]);
  });

  it('leaves the reference out of a numeric column whose bins changed since the window', () => {
    const pane: StoredPane = { columns: { temp: numeric([1, 11], [0, 5]).toJSON() } };
    const [temp] = windowDistributions(pane, profile());
    expect(temp).toMatchObject({ edges: [0, 5], reference: null, current: [0, 1, 1], range: [1, 11] });
  });
});

describe('WindowDistributionsService', () => {
  const models = strictMock<ModelsService>('models', {
    known: () => Promise.resolve({} as Awaited<ReturnType<ModelsService['known']>>),
  });

  it('answers 400 window_required without both bounds, and invalid_time for a bad one', async () => {
    const service = new WindowDistributionsService(
      models,
      strictMock<WindowSummaryRepository>('summaries'),
      strictMock<ReferenceProfileRepository>('references'),
    );
    const missing = await rejectionOf(service.distributions('m', '2024-05-01T00:00:00Z', undefined));
    expect([missing.status, missing.code]).toEqual([400, 'window_required']);
    const bad = await rejectionOf(service.distributions('m', 'yesterday', '2024-05-01T00:00:00Z'));
    expect([bad.status, bad.code]).toEqual([400, 'invalid_time']);
  });

  it('answers 404 window_not_found for a window not stored (or past the label horizon)', async () => {
    const service = new WindowDistributionsService(
      models,
      strictMock<WindowSummaryRepository>('summaries', { find: () => Promise.resolve(null) }),
      strictMock<ReferenceProfileRepository>('references'),
    );
    const error = await rejectionOf(
      service.distributions('m', '2024-05-01T00:00:00Z', '2024-05-01T01:00:00Z'),
    );
    expect([error.status, error.code]).toEqual([404, 'window_not_found']);
  });
});
