import type { Server } from 'node:http';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { SwaggerModule, type OpenAPIObject } from '@nestjs/swagger';
import { API_DOCUMENT } from './api.openapi';

/**
 * What the api adds to the shared service app: Swagger UI at /docs with the document at
 * /docs/openapi.json, and no limit on a request's duration, since a reference upload of millions
 * of rows streams for longer than Node's default of 5 minutes (headers still time out).
 */
export function configureApi(app: NestExpressApplication): void {
  (app.getHttpServer() as Server).requestTimeout = 0;
  SwaggerModule.setup('docs', app, API_DOCUMENT as unknown as OpenAPIObject, {
    jsonDocumentUrl: 'docs/openapi.json',
    yamlDocumentUrl: 'docs/openapi.yaml',
  });
}
