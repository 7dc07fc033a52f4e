import { RequestMethod } from '@nestjs/common';
import { METHOD_METADATA, PATH_METADATA } from '@nestjs/common/constants';
import { ModulesContainer } from '@nestjs/core';
import { ROUTE_ACCESS, type RouteAccess } from '@driftline/common';
import { startApi, type RunningApi } from '../models/api-app.fixture';

interface Route {
  method: string;
  path: string;
  access: RouteAccess | undefined;
}

/** Every handler of every controller the app registered, with the access it declares. */
function registeredRoutes(api: RunningApi): Route[] {
  const routes: Route[] = [];
  for (const module of api.app.get(ModulesContainer).values()) {
    for (const wrapper of module.controllers.values()) {
      const controller = wrapper.metatype as (new (...args: never[]) => object) | null;
      if (controller === null) continue;
      const base = String(Reflect.getMetadata(PATH_METADATA, controller) ?? '');
      const prototype = controller.prototype as Record<string, unknown>;
      for (const name of Object.getOwnPropertyNames(prototype)) {
        const handler = prototype[name];
        if (
          name === 'constructor' ||
          typeof handler !== 'function' ||
          Reflect.getMetadata(METHOD_METADATA, handler) === undefined
        )
          continue;
        const method = RequestMethod[Reflect.getMetadata(METHOD_METADATA, handler) as RequestMethod];
        const path = `/${[base, String(Reflect.getMetadata(PATH_METADATA, handler))].filter((p) => p !== '' && p !== '/').join('/')}`;
        const access =
          (Reflect.getMetadata(ROUTE_ACCESS, handler) as RouteAccess | undefined) ??
          (Reflect.getMetadata(ROUTE_ACCESS, controller) as RouteAccess | undefined);
        routes.push({ method, path, access });
      }
    }
  }
  return routes;
}

const PUBLIC = [
  'GET /healthz',
  'GET /readyz',
  'GET /metrics',
  // the dashboard's pages (its one-page app) and its script and style sheet
  'GET /',
  'GET /login',
  'GET /models/:id',
  'GET /models/:id/window',
  'GET /alerts/:id',
  'GET /assets/:file',
];

describe('every route of the api declares who may call it', () => {
  let api: RunningApi;
  beforeAll(async () => {
    api = await startApi();
  });
  afterAll(() => api.close());

  it('has a scope or @Public() on every handler, and only the known routes are public', () => {
    const routes = registeredRoutes(api);
    expect(routes.length).toBeGreaterThan(40);
    expect(routes.filter((r) => r.access === undefined)).toEqual([]);
    const open = routes.filter((r) => r.access === 'public').map((r) => `${r.method} ${r.path}`);
    expect(open.filter((r) => r.includes(' /v1'))).toEqual([]);
    expect(open.sort()).toEqual([...PUBLIC].sort());
    const ingest = routes.filter((r) => r.access === 'ingest').map((r) => `${r.method} ${r.path}`);
    expect(ingest.sort()).toEqual(['POST /v1/ground-truth', 'POST /v1/predictions']);
    const read = routes.filter((r) => r.access === 'read');
    expect(read.every((r) => r.method === 'GET' && r.path.startsWith('/v1/'))).toBe(true);
  });

  it('answers 401 to a request without a key on every route but the public ones', async () => {
    for (const route of registeredRoutes(api).filter((r) => r.access !== 'public')) {
      const path = route.path.replace(/:[A-Za-z]+/g, 'some-id');
      const response = await fetch(`${api.url}${path}`, { method: route.method, redirect: 'manual' });
      expect(`${route.method} ${route.path} ${response.status}`).toBe(`${route.method} ${route.path} 401`);
    }
  });
});
