import { Readable } from 'node:stream';
import type { ModelRecord, ModelRepository, ReferenceProfileRepository } from '@driftline/db';
import { binEdges, type ReferenceProfileJSON } from '@driftline/stats';
import { ModelsService } from '../models/models.service';
import { rejectionOf, strictMock } from '../models/strict.mock';
import { ReferenceUploadService } from './reference-upload.service';

const window = { size: '1h', step: '5m', allowedLateness: '0s' };

function model(settings: Record<string, unknown>): ModelRecord {
  const at = new Date('2024-05-01T00:00:00Z');
  return { id: 'bikes', description: null, settings, createdAt: at, updatedAt: at };
}

function serviceWith(settings: Record<string, unknown> | null, save = jest.fn().mockResolvedValue('ref-1')) {
  const models = strictMock<ModelRepository>('models', {
    find: jest.fn().mockResolvedValue(settings === null ? null : model(settings)),
  });
  const references = strictMock<ReferenceProfileRepository>('references', { save });
  return { service: new ReferenceUploadService(new ModelsService(models), references), save };
}

const csv = (lines: string[]) => Readable.from(lines.map((l) => `${l}\n`));

describe('ReferenceUploadService', () => {
  const temps = Array.from({ length: 30 }, (_, i) => ((i * 37) % 30) / 10);
  const lines = [
    'temp,hum,season',
    ...temps.map((t, i) => `${t},${(i % 7) / 10},${i % 3 === 0 ? 'winter' : 'summer'}`),
  ];

  it('stores the profile with the PCA model and answers its summary', async () => {
    const { service, save } = serviceWith({
      modelId: 'bikes',
      window,
      features: { temp: 'numeric', hum: 'numeric' },
    });
    const summary = await service.upload({ modelId: 'bikes', contentType: 'text/csv', body: csv(lines) });
    expect(summary).toMatchObject({
      referenceId: 'ref-1',
      modelId: 'bikes',
      name: 'upload-csv',
      rows: 30,
      features: {
        temp: { type: 'numeric', declared: true, missingShare: 0, edges: binEdges(temps) },
        hum: { type: 'numeric', declared: true },
        season: {
          type: 'categorical',
          declared: false,
          categories: ['summer', 'winter'],
          shares: [20 / 30, 10 / 30],
        },
      },
      outputs: {},
      calibration: null,
    });
    expect(summary.multivariate?.features).toEqual(['temp', 'hum']);
    expect(save).toHaveBeenCalledTimes(1);
    const [modelId, name, rows, stored] = save.mock.calls[0] as [
      string,
      string,
      number,
      ReferenceProfileJSON & Record<string, unknown>,
    ];
    expect([modelId, name, rows]).toEqual(['bikes', 'upload-csv', 30]);
    expect(stored.columns.map((c) => c.name)).toEqual(['temp', 'hum', 'season']);
    expect(stored.pca).toMatchObject({ features: ['temp', 'hum'] });
    expect(stored.calibration).toBeNull();
  });

  it('answers 404 for a model without a spec, before reading the body', async () => {
    const { service } = serviceWith(null);
    const body = csv(lines);
    const error = await rejectionOf(service.upload({ modelId: 'bikes', contentType: 'text/csv', body }));
    expect([error.status, error.code]).toEqual([404, 'model_not_found']);
    expect(body.readableDidRead).toBe(false);
  });

  it('answers 415 for a content type it cannot read', async () => {
    const { service } = serviceWith({ modelId: 'bikes', window });
    const error = await rejectionOf(
      service.upload({ modelId: 'bikes', contentType: 'application/json', body: csv(lines) }),
    );
    expect(error.status).toBe(415);
    expect(error.details).toMatchObject({ contentType: 'application/json' });
  });

  it('answers 400 with the line of a bad score, and stores nothing', async () => {
    const { service, save } = serviceWith({ modelId: 'bikes', window, task: 'binary' });
    const body = csv(['x,score,target', '1,0.2,1', '2,1.5,0']);
    const error = await rejectionOf(service.upload({ modelId: 'bikes', contentType: 'text/csv', body }));
    expect([error.status, error.code]).toEqual([400, 'invalid_reference_row']);
    expect(error.details).toEqual({
      line: 3,
      reason: 'line 3: score must be a probability in [0, 1], got "1.5"',
    });
    expect(save).not.toHaveBeenCalled();
  });
});
