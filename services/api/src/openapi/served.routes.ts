import type { NestExpressApplication } from '@nestjs/platform-express';
import { templateOf } from './openapi.operations';

interface RouterLayer {
  route?: { path: unknown; methods: Record<string, boolean> };
}

/** What a started app serves, read from its Express router: `get /v1/models/{id}`, one per method. */
export function servedRoutes(app: NestExpressApplication): string[] {
  const express = app.getHttpAdapter().getInstance() as { router: { stack: RouterLayer[] } };
  return express.router.stack.flatMap((layer) => {
    const route = layer.route;
    if (route === undefined || typeof route.path !== 'string') return [];
    const path = templateOf(route.path);
    return Object.keys(route.methods)
      .filter((method) => route.methods[method] && method !== '_all')
      .map((method) => `${method} ${path}`);
  });
}
