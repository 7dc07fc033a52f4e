import { API_DOCUMENT } from '../models/api.openapi';
import { readJson, startApi, type RunningApi } from '../models/api-app.fixture';
import { HTTP_METHODS, type OpenApiDocument } from './openapi.operations';
import { servedRoutes } from './served.routes';

const DOCUMENT = API_DOCUMENT as unknown as OpenApiDocument;

/** Swagger UI's own files under /docs, served beside the page and the document. */
const SWAGGER_UI_FILES = [
  'get /docs/',
  'get /docs/index.html',
  'get /docs/LICENSE',
  'get /docs/swagger-ui-init.js',
  'get /docs/docs/swagger-ui-init.js',
];

const documented = (document: OpenApiDocument): string[] =>
  Object.entries(document.paths).flatMap(([path, item]) =>
    HTTP_METHODS.filter((method) => item[method] !== undefined).map((method) => `${method} ${path}`),
  );

describe('the OpenAPI document against the routes the api serves', () => {
  let api: RunningApi;

  beforeAll(async () => {
    api = await startApi();
  });
  afterAll(() => api.close());

  it('documents every route the app serves, and nothing it does not', () => {
    const served = servedRoutes(api.app).filter((route) => !SWAGGER_UI_FILES.includes(route));
    expect(served).toContain('get /v1/models/{id}');
    const undocumented = served.filter((route) => !documented(DOCUMENT).includes(route));
    const absent = documented(DOCUMENT).filter((route) => !served.includes(route));
    expect({ undocumented, absent }).toEqual({ undocumented: [], absent: [] });
  });

  it('serves that document at /docs/openapi.json', async () => {
    const response = await api.fetch(`/docs/openapi.json`);
    expect(response.status).toBe(200);
    expect(documented(await readJson<OpenApiDocument>(response)).sort()).toEqual(documented(DOCUMENT).sort());
  });
});
