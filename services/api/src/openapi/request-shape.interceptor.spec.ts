import { API_DOCUMENT } from '../models/api.openapi';
import { documentedOperations, type OpenApiDocument } from './openapi.operations';
import { checkBody, checkQuery } from './request-shape.interceptor';

const document = API_DOCUMENT as unknown as OpenApiDocument;
const operations = documentedOperations(document);
const operation = (key: string) => {
  const found = operations.get(key);
  if (found === undefined) throw new Error(`${key} is not documented`);
  return found;
};
const rejection = (check: () => void) => {
  try {
    check();
  } catch (error) {
    return error;
  }
  return 'accepted';
};

describe('requests held to their OpenAPI operation', () => {
  it('takes the query parameters the operation and its path declare', () => {
    expect(rejection(() => checkQuery({ status: 'firing', limit: '5' }, operation('get /v1/alerts')))).toBe(
      'accepted',
    );
    expect(
      rejection(() =>
        checkQuery({ metric: 'drift_share', from: '2024-05-01' }, operation('get /v1/models/{id}/metrics')),
      ),
    ).toBe('accepted');
  });

  it('answers unknown_parameter naming each unknown one and what the route takes', () => {
    expect(
      rejection(() => checkQuery({ sort: 'x', status: 'firing', Limit: '1' }, operation('get /v1/alerts'))),
    ).toMatchObject({
      status: 400,
      code: 'unknown_parameter',
      message: expect.stringContaining('unknown query parameter sort, Limit'),
      details: { parameters: ['sort', 'Limit'], allowed: ['cursor', 'limit', 'modelId', 'status'] },
    });
    expect(rejection(() => checkQuery({ verbose: '1' }, operation('get /v1/models/{id}')))).toMatchObject({
      message: 'unknown query parameter verbose; this route takes none',
    });
  });

  it('answers unknown_field with the path of every unknown field, nested ones included', () => {
    const spec = {
      modelId: 'm',
      window: { size: '1h', step: '1h', allowedLateness: '1m', sizee: '2h' },
      owner: 'x',
    };
    expect(rejection(() => checkBody(spec, operation('post /v1/models'), document))).toMatchObject({
      status: 400,
      code: 'unknown_field',
      details: { fields: ['/window/sizee', '/owner'] },
    });
  });

  it('sees into arrays, oneOf branches and maps, and leaves open objects open', () => {
    const event = { eventId: 'e', features: { anything: 1 }, tags: { team: 'a' } };
    const ingest = operation('post /v1/predictions');
    expect(rejection(() => checkBody(event, ingest, document))).toBe('accepted');
    expect(rejection(() => checkBody([event, { ...event, extra: 1 }], ingest, document))).toMatchObject({
      details: { fields: ['/1/extra'] },
    });
    const channel = { channelId: 'c', type: 'slack', slack: { channel: '#a', tokn: 'x' } };
    expect(rejection(() => checkBody(channel, operation('post /v1/channels'), document))).toMatchObject({
      details: { fields: ['/slack/tokn'] },
    });
    const route = {
      routeId: 'r',
      order: 1,
      channels: ['c'],
      matchers: [{ name: 'a', op: '=', value: 'b', x: 1 }],
    };
    expect(rejection(() => checkBody(route, operation('post /v1/routes'), document))).toMatchObject({
      details: { fields: ['/matchers/0/x'] },
    });
  });

  it('names a few of many unknown fields in the message, and at most 1000 in the details', () => {
    const events = Array.from({ length: 1500 }, () => ({ eventId: 'e', extra: 1 }));
    const error = rejection(() => checkBody(events, operation('post /v1/predictions'), document)) as {
      message: string;
      details: { fields: string[]; count: number };
    };
    expect(error.message).toBe(
      `unknown field ${[0, 1, 2, 3, 4, 5, 6, 7, 8, 9].map((i) => `/${i}/extra`).join(', ')} and 1490 more in the body`,
    );
    expect([error.details.fields.length, error.details.fields[999], error.details.count]).toEqual([
      1000,
      '/999/extra',
      1500,
    ]);
  });

  it('takes no body where the operation declares none, and leaves a missing body to the route', () => {
    expect(
      rejection(() => checkBody({ force: true }, operation('delete /v1/monitors/{id}'), document)),
    ).toMatchObject({
      code: 'unknown_field',
      details: { fields: ['/force'] },
    });
    expect(rejection(() => checkBody({}, operation('delete /v1/monitors/{id}'), document))).toBe('accepted');
    expect(rejection(() => checkBody(undefined, operation('post /v1/models'), document))).toBe('accepted');
  });
});
