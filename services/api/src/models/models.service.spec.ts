import type { ModelRecord, ModelRepository } from '@driftline/db';
import { ModelsService } from './models.service';
import { rejectionOf, strictMock } from './strict.mock';
import { listQuery } from '../list.query';

const window = { size: '1h', step: '5m', allowedLateness: '10m' };
const created = new Date('2024-05-01T00:00:00Z');
const updated = new Date('2024-05-02T00:00:00Z');

function record(id: string, settings: Record<string, unknown>): ModelRecord {
  return { id, description: null, settings, createdAt: created, updatedAt: updated };
}

describe('ModelsService', () => {
  it('registers a valid spec and answers the stored model', async () => {
    const spec = { modelId: 'bikes', description: 'rentals', window };
    const register = jest.fn().mockResolvedValue({ ...record('bikes', spec), description: 'rentals' });
    const service = new ModelsService(strictMock<ModelRepository>('models', { register }));
    await expect(service.create(spec)).resolves.toEqual({
      ...spec,
      createdAt: '2024-05-01T00:00:00.000Z',
      updatedAt: '2024-05-02T00:00:00.000Z',
    });
    expect(register).toHaveBeenCalledWith('bikes', 'rentals', spec);
  });

  it('rejects an invalid spec with every reason and stores nothing', async () => {
    const service = new ModelsService(strictMock<ModelRepository>('models'));
    const error = await rejectionOf(
      service.create({ modelId: 'bikes', window: { size: '1x', step: '5m', allowedLateness: 'soon' } }),
    );
    expect(error.status).toBe(400);
    expect(error.code).toBe('invalid_model_spec');
    expect(error.details).toEqual([expect.stringMatching(/^\/window\/size: Invalid duration "1x"/)]);
  });

  it('answers 409 when the model already has a spec', async () => {
    const register = jest.fn().mockResolvedValue(null);
    const service = new ModelsService(strictMock<ModelRepository>('models', { register }));
    const error = await rejectionOf(service.create({ modelId: 'bikes', window }));
    expect([error.status, error.code]).toEqual([409, 'model_exists']);
  });

  it('answers 415 when the body was not JSON', async () => {
    const service = new ModelsService(strictMock<ModelRepository>('models'));
    expect((await rejectionOf(service.create(undefined))).status).toBe(415);
  });

  it('updates with the model id of the path when the body leaves it out', async () => {
    const update = jest.fn().mockResolvedValue(record('bikes', { modelId: 'bikes', window, bins: 20 }));
    const service = new ModelsService(strictMock<ModelRepository>('models', { update }));
    await expect(service.update('bikes', { window, bins: 20 })).resolves.toMatchObject({
      modelId: 'bikes',
      bins: 20,
    });
    expect(update).toHaveBeenCalledWith('bikes', null, { modelId: 'bikes', window, bins: 20 });
  });

  it('refuses a body naming another model, and answers 404 for an unknown one', async () => {
    const update = jest.fn().mockResolvedValue(null);
    const service = new ModelsService(strictMock<ModelRepository>('models', { update }));
    const mismatch = await rejectionOf(service.update('bikes', { modelId: 'cars', window }));
    expect([mismatch.status, mismatch.code]).toEqual([400, 'model_id_mismatch']);
    expect(update).not.toHaveBeenCalled();
    const missing = await rejectionOf(service.update('bikes', { window }));
    expect([missing.status, missing.code]).toEqual([404, 'model_not_found']);
  });

  it('lists and reads only models registered with a spec, not those only seen in events', async () => {
    const bikes = record('bikes', { modelId: 'bikes', window });
    const seen = record('seen', {});
    const service = new ModelsService(
      strictMock<ModelRepository>('models', {
        listRegistered: jest.fn().mockResolvedValue([bikes]),
        find: jest.fn(async (id: string) => (id === 'bikes' ? bikes : id === 'seen' ? seen : null)),
      }),
    );
    const list = await service.list(listQuery({}));
    expect([list.models.map((m) => m.modelId), list.nextCursor]).toEqual([['bikes'], null]);
    await expect(service.get('bikes')).resolves.toMatchObject({ modelId: 'bikes' });
    expect((await rejectionOf(service.get('seen'))).status).toBe(404);
    await expect(service.known('seen')).resolves.toBe(seen);
    expect((await rejectionOf(service.known('nobody'))).code).toBe('model_not_found');
  });
});
