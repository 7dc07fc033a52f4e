import type { Server } from 'node:http';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { SwaggerModule, type OpenAPIObject } from '@nestjs/swagger';
import type { OpenApiDocument } from '../openapi/openapi.operations';
import { RequestShapeInterceptor } from '../openapi/request-shape.interceptor';
import { API_DOCUMENT } from './api.openapi';

/**
 * What the api adds to the shared service app: Swagger UI at /docs with the document at
 * /docs/openapi.json, every request held to the query parameters and body fields the document
 * declares for its route (400 unknown_parameter, unknown_field), and no limit on a request's duration, since a reference upload of millions
 * of rows streams for longer than Node's default of 5 minutes (headers still time out).
 */
export function configureApi(app: NestExpressApplication): void {
  (app.getHttpServer() as Server).requestTimeout = 0;
  app.useGlobalInterceptors(new RequestShapeInterceptor(API_DOCUMENT as unknown as OpenApiDocument));
  SwaggerModule.setup('docs', app, API_DOCUMENT as unknown as OpenAPIObject, {
    jsonDocumentUrl: 'docs/openapi.json',
    yamlDocumentUrl: 'docs/openapi.yaml',
  });
}
