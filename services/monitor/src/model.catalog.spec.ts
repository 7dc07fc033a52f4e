import { evaluateDrift, ReferenceProfile } from '@driftline/stats';
import { testModel } from '../../../test/monitor/monitor.fixtures';
import { definitionsOf, logger, TestClock } from '../../../test/monitor/monitor.mocks';
import { ModelCatalog } from './model.catalog';
import type { ModelDefinitionStore } from './monitor.store';

describe('ModelCatalog', () => {
  it('loads on a miss, serves from memory, and reloads once the refresh interval passed', async () => {
    const clock = new TestClock(0);
    const store = definitionsOf([testModel()]);
    const catalog = new ModelCatalog(clock, logger, 30_000);
    expect((await catalog.resolve(['m1', 'other'], store)).get('other')).toBeNull();
    clock.time = 29_999;
    await catalog.resolve(['m1', 'other'], store);
    expect(store.find).toHaveBeenCalledTimes(1);
    const first = (await catalog.resolve(['m1'], store)).get('m1');
    clock.time = 30_000;
    const models = await catalog.resolve(['m1'], store);
    // the profile is not read again, and the same settings give the same model
    expect(store.find).toHaveBeenLastCalledWith(['m1'], ['ref-1']);
    expect(store.find).toHaveBeenCalledTimes(2);
    expect(models.get('m1')).toBe(first);
  });

  it('rebuilds the model when its settings change under the same reference', async () => {
    const clock = new TestClock(0);
    let threshold = 0.1;
    const store: ModelDefinitionStore = {
      find: async (ids, known) => {
        const model = testModel();
        return new Map([
          [
            'm1',
            {
              spec: { ...model.spec, thresholds: { x: threshold } },
              reference: { id: 'ref-1', profile: known.includes('ref-1') ? null : model.profile.toJSON() },
            },
          ],
        ]);
      },
    };
    const catalog = new ModelCatalog(clock, logger, 1_000);
    await catalog.resolve(['m1'], store);
    threshold = 0.3;
    clock.time = 1_000;
    const model = (await catalog.resolve(['m1'], store)).get('m1');
    expect(model?.spec.thresholds).toEqual({ x: 0.3 });
    expect(model?.profile.column('x').name).toBe('x');
  });

  it('counts a model whose stored profile cannot be read as not monitored', async () => {
    const broken: ModelDefinitionStore = {
      find: async () =>
        new Map([
          ['m1', { spec: testModel().spec, reference: { id: 'r', profile: { version: 1, columns: 'no' } } }],
        ]),
    };
    const catalog = new ModelCatalog(new TestClock(0), logger);
    expect((await catalog.resolve(['m1'], broken)).get('m1')).toBeNull();
  });

  it('holds the profile without its samples, and judges windows as the whole profile does', async () => {
    const model = testModel();
    expect(model.profile.columns.every((c) => c.json.sample.length > 0)).toBe(true);
    const catalog = new ModelCatalog(new TestClock(0), logger);
    const held = (await catalog.resolve(['m1'], definitionsOf([model]))).get('m1');
    expect(held?.profile.columns.map((c) => c.json.sample)).toEqual(model.profile.columns.map(() => []));
    const window = model.profile.newWindow('feature');
    for (let i = 0; i < 200; i++)
      ReferenceProfile.updateWindow(window, { x: (i % 37) * 1.5, plan: `p${i % 3}` });
    if (held === undefined || held === null) throw new Error('the model is monitored');
    expect(evaluateDrift(held.profile, window)).toEqual(evaluateDrift(model.profile, window));
  });
});
